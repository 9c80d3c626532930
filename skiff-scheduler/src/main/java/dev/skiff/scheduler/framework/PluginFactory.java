package dev.skiff.scheduler.framework;

/** Makes one plugin instance for one framework (profile). */
@FunctionalInterface
public interface PluginFactory {

    Plugin create(FrameworkHandle handle);
}
