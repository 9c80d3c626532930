package dev.skiff.informers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Shrinks a decoded fabric8 model object in place before an informer caches it: every object of the
 * model carries an {@code additionalProperties} map for fields the model does not know, a fresh
 * {@code LinkedHashMap} even when empty (64 bytes; a cached pod has about 35 of them, a third of the
 * maps of a 10,000-pod cache). Empty ones are replaced by one shared immutable empty map.
 *
 * <p>Safe because only Jackson's any-setter writes {@code additionalProperties}, and only while it
 * decodes a fresh object; components read cached objects or copy them (fabric8's builders copy the
 * map into a new {@code LinkedHashMap}). Equality, hash codes and encoding are unchanged: an empty
 * map equals any empty map.
 *
 * <p>Thread-safe (the per-class field lists are computed once, in a {@link ClassValue}).
 */
final class ModelCompactor {
  /** Model trees are shallow (a pod is about 8 levels); this only guards against a cycle. */
  private static final int MAX_DEPTH = 64;
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  /** The fields of one model class that the walk reads or writes. */
  private record Shape(VarHandle additionalProperties, List<VarHandle> children) {}

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return shapeOf(type);
    }
  };

  private ModelCompactor() {}

  /** Compacts {@code object} and everything it holds, in place; returns it. */
  static <T> T compact(T object) {
    walk(object, 0);
    return object;
  }

  private static void walk(Object object, int depth) {
    if (object == null || depth > MAX_DEPTH) {
      return;
    }
    if (object instanceof Collection<?> items) {
      for (Object item : items) {
        walk(item, depth + 1);
      }
      return;
    }
    if (object instanceof Map<?, ?> map) {
      // forEach, not values(): a LinkedHashMap keeps the values view it hands out, 24 bytes per map
      map.forEach((key, value) -> walk(value, depth + 1));
      return;
    }
    if (!isModel(object.getClass())) {
      return;
    }
    Shape shape = SHAPES.get(object.getClass());
    if (shape.additionalProperties() != null
        && shape.additionalProperties().get(object) instanceof Map<?, ?> extra && extra.isEmpty()) {
      shape.additionalProperties().set(object, Map.of());
    }
    for (VarHandle child : shape.children()) {
      walk(child.get(object), depth + 1);
    }
  }

  /** A class of fabric8's model (not only {@code KubernetesResource}s: {@code Quantity} is none). */
  private static boolean isModel(Class<?> type) {
    return type.getName().startsWith(MODEL_PACKAGE);
  }

  /**
   * The {@code additionalProperties} field and the fields that may hold model objects (model types,
   * collections and maps of them, as a container's resource quantities) of {@code type} and its superclasses; none for a class outside fabric8's model.
   */
  private static Shape shapeOf(Class<?> type) {
    VarHandle extra = null;
    List<VarHandle> children = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      if (!isModel(c)) {
        continue;
      }
      MethodHandles.Lookup lookup;
      try {
        lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
      } catch (IllegalAccessException closedModule) {
        continue; // leave a class we may not open as it is
      }
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        try {
          if (f.getName().equals("additionalProperties") && f.getType() == Map.class) {
            extra = lookup.unreflectVarHandle(f);
          } else if (isModel(f.getType())
              || Collection.class.isAssignableFrom(f.getType()) || Map.class.isAssignableFrom(f.getType())) {
            children.add(lookup.unreflectVarHandle(f));
          }
        } catch (IllegalAccessException unreadable) {
          // skipped: that field keeps its own maps
        }
      }
    }
    return new Shape(extra, List.copyOf(children));
  }
}
