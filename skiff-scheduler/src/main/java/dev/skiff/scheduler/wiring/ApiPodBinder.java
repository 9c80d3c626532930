package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.framework.PodBinder;
import dev.skiff.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binds through {@code POST /api/v1/namespaces/NS/pods/NAME/binding}, as upstream's DefaultBinder,
 * with the pod's uid as a precondition so that a pod deleted and re-created under the same name is
 * not bound in its predecessor's place. fabric8 8 has no typed call for this subresource; the
 * request goes through {@link ApiWrites}, which reads only the reply's status code.
 */
final class ApiPodBinder implements PodBinder {

    private final ApiWrites writes;

    ApiPodBinder(KubernetesClient client) {
        this.writes = new ApiWrites(Objects.requireNonNull(client, "client"));
    }

    @Override
    public void bind(PodInfo pod, String nodeName) {
        var meta = pod.pod().getMetadata();
        ObjectNode binding = ApiWrites.object().put("apiVersion", "v1").put("kind", "Binding");
        binding.putObject("metadata").put("name", meta.getName()).put("namespace", meta.getNamespace()).put("uid", meta.getUid());
        binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", nodeName);
        ApiWrites.Reply reply = writes.post("/api/v1/namespaces/%s/pods/%s/binding".formatted(meta.getNamespace(), meta.getName()), binding);
        if (reply.code() == 404) {
            throw new KubernetesClientException("binding " + pod.key() + " to " + nodeName + ": pod not found", 404, null);
        }
        if (!reply.ok()) {
            throw reply.error("binding " + pod.key() + " to " + nodeName);
        }
    }
}
