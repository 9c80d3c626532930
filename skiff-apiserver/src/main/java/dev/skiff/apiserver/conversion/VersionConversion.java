package dev.skiff.apiserver.conversion;

import tools.jackson.databind.node.ObjectNode;

/**
 * Converts the objects of one served version of a kind to and from the version the kind is stored
 * at, as upstream's codec does when a kind is served at several versions (autoscaling/v1
 * HorizontalPodAutoscalers are stored as autoscaling/v2). The registry's {@code ObjectCodec}
 * applies it on every read and write of that version, so lists, watches, the watch cache and
 * tables all see the served version. Implementations are stateless and thread-safe.
 */
public interface VersionConversion {

  /** No conversion: the served version is the storage version. */
  VersionConversion NONE = new VersionConversion() {
    @Override
    public ObjectNode toStorage(ObjectNode served) {
      return served;
    }

    @Override
    public ObjectNode fromStorage(ObjectNode stored) {
      return stored;
    }
  };

  /**
   * {@code served} as the storage version would hold it, {@code apiVersion} included. May reuse
   * or change {@code served}; callers pass an object they own.
   */
  ObjectNode toStorage(ObjectNode served);

  /** {@code stored} as the served version; may reuse or change {@code stored}. */
  ObjectNode fromStorage(ObjectNode stored);
}
