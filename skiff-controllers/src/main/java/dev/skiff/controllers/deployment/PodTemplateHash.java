package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code pod-template-hash} of a Deployment's pod template, upstream's
 * {@code controller.ComputeHash}: FNV-1a 32 over the template, then the collision count as four
 * little-endian bytes, printed in decimal and mapped through {@code rand.SafeEncodeString}'s
 * alphabet (no vowels, no look-alikes).
 *
 * <p>Upstream hashes a dump of its Go structs, which a Java program cannot reproduce byte for
 * byte; this hashes the template's canonical JSON (keys sorted, empty values dropped) instead, so
 * values are stable across restarts of Skiff but differ from upstream's for the same template.
 */
public final class PodTemplateHash {
  public static final String LABEL = "pod-template-hash";
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PodTemplateHash() {}

  public static String compute(PodTemplateSpec template, Integer collisionCount) {
    return computeOf(template, collisionCount);
  }

  /**
   * The same hash over any object that serialises to JSON (a map, a list or a model object): the
   * {@code controller-revision-hash} of a ControllerRevision's data uses it too.
   */
  public static String computeOf(Object value, Integer collisionCount) {
    int hash = 0x811c9dc5;
    for (byte b : canonicalJson(value).getBytes(StandardCharsets.UTF_8)) {
      hash = fnvStep(hash, b);
    }
    if (collisionCount != null) {
      int c = collisionCount;
      for (int i = 0; i < 4; i++) {
        hash = fnvStep(hash, (byte) (c >>> (8 * i)));
      }
    }
    return safeEncode(Integer.toUnsignedString(hash));
  }

  private static int fnvStep(int hash, byte b) {
    return (hash ^ (b & 0xff)) * 0x01000193;
  }

  /** Upstream's {@code rand.SafeEncodeString}: each byte picks a letter of the safe alphabet. */
  static String safeEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      out.append(SAFE_ALPHABET.charAt((b & 0xff) % SAFE_ALPHABET.length()));
    }
    return out.toString();
  }

  /** Whether two templates are equal once the hash label is ignored: upstream's {@code EqualIgnoreHash}. */
  public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return canonicalJson(withoutHash(a)).equals(canonicalJson(withoutHash(b)));
  }

  private static Object withoutHash(PodTemplateSpec t) {
    Object tree = JSON.unmarshal(JSON.asJson(t), Map.class);
    if (tree instanceof Map<?, ?> m && m.get("metadata") instanceof Map<?, ?> meta && meta.get("labels") instanceof Map<?, ?> labels) {
      labels.remove(LABEL);
    }
    return tree;
  }

  /** JSON with object keys sorted and nulls, empty objects and empty arrays dropped. */
  public static String canonicalJson(Object value) {
    Object tree = value instanceof Map<?, ?> || value instanceof List<?> ? value : JSON.unmarshal(JSON.asJson(value), Map.class);
    Object canonical = canonical(tree);
    return JSON.asJson(canonical == null ? Map.of() : canonical);
  }

  private static Object canonical(Object v) {
    if (v instanceof Map<?, ?> m) {
      TreeMap<String, Object> out = new TreeMap<>();
      for (var e : m.entrySet()) {
        Object c = canonical(e.getValue());
        if (c != null) {
          out.put(String.valueOf(e.getKey()), c);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        Object c = canonical(o);
        out.add(c == null ? Map.of() : c);
      }
      return out.isEmpty() ? null : out;
    }
    return v;
  }
}
