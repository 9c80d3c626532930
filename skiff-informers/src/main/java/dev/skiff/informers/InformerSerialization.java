package dev.skiff.informers;

import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON (de)serialization for Skiff's in-process clients: fabric8's own, except that watch
 * events decode their object in one pass ({@link WatchedObjectDeserializer}). Pass it to
 * {@code KubernetesClientBuilder.withKubernetesSerialization}.
 */
public final class InformerSerialization {
  private InformerSerialization() {}

  /** A new serialization, configured as fabric8's default one plus the one-pass watch decode. */
  public static KubernetesSerialization create() {
    return new KubernetesSerialization(JsonMapper.builderWithJackson2Defaults()
        .addModule(new Jackson2JdkTypesModule())
        .addMixIn(WatchEvent.class, WatchEventObject.class)
        .build(), true);
  }

  /** Mix-in: WatchEvent's object through {@link WatchedObjectDeserializer} instead of fabric8's two-pass one. */
  abstract static class WatchEventObject {
    @JsonDeserialize(using = WatchedObjectDeserializer.class)
    public abstract void setObject(Object object);
  }
}
