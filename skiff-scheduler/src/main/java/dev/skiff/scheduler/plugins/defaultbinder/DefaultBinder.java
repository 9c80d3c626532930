package dev.skiff.scheduler.plugins.defaultbinder;

import dev.skiff.scheduler.framework.BindPlugin;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.FrameworkHandle;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;

/** Binds through the framework's {@link dev.skiff.scheduler.framework.PodBinder} (the pods/binding subresource). */
public final class DefaultBinder implements BindPlugin {

    public static final String NAME = "DefaultBinder";

    private final FrameworkHandle handle;

    public DefaultBinder(FrameworkHandle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status bind(CycleState state, PodInfo pod, String nodeName) {
        try {
            handle.binder().bind(pod, nodeName);
            return Status.SUCCESS;
        } catch (Exception e) {
            return new Status.Error("binding " + pod.key() + " to " + nodeName + ": " + e.getMessage(), e);
        }
    }
}
