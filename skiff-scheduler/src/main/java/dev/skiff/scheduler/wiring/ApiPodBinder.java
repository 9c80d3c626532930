package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.framework.PodBinder;
import dev.skiff.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Objects;

/**
 * Binds through {@code POST /api/v1/namespaces/NS/pods/NAME/binding}, as upstream's DefaultBinder,
 * with the pod's uid as a precondition so that a pod deleted and re-created under the same name is
 * not bound in its predecessor's place. fabric8 8 has no typed call for this subresource, so it
 * goes as a raw request.
 */
final class ApiPodBinder implements PodBinder {

    private final KubernetesClient client;

    ApiPodBinder(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void bind(PodInfo pod, String nodeName) {
        var meta = pod.pod().getMetadata();
        Binding binding = new BindingBuilder()
                .withNewMetadata().withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
                .build();
        String path = "%s/api/v1/namespaces/%s/pods/%s/binding".formatted(
                stripSlash(client.getMasterUrl().toString()), meta.getNamespace(), meta.getName());
        String reply = client.raw(path, "POST", binding);
        if (reply == null) {
            // raw answers null for 404: the pod is gone
            throw new KubernetesClientException("binding " + pod.key() + " to " + nodeName + ": pod not found");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
