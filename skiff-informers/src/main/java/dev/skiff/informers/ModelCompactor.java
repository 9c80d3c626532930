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
 * Shrinks a decoded fabric8 model object in place before an informer caches it:
 * <ul>
 *   <li>every object of the model carries an {@code additionalProperties} map for fields the model
 *       does not know, a fresh {@code LinkedHashMap} even when empty (64 bytes; a cached pod has about
 *       35 of them, a third of the maps of a 10,000-pod cache): empty ones become one shared
 *       immutable empty map;
 *   <li>every list field of the model starts as a fresh {@code ArrayList} (24 bytes), which stays
 *       when the JSON has no such field (about 55 per cached pod, 13 MiB of a 10,000-pod cache):
 *       empty ones become the shared immutable {@link List#of()};
 *   <li>a list Jackson filled keeps the spare room of its growth (10 slots for one element): it is
 *       trimmed to its size, and stays a mutable {@code ArrayList}.
 * </ul>
 *
 * <p>Safe because cached objects are read-only by contract (upstream's informer rule, which Skiff's
 * components follow: they edit copies, and fabric8's builders copy every list and map into a new
 * {@code ArrayList} or {@code LinkedHashMap}); only Jackson's any-setter writes {@code
 * additionalProperties}, and only while it decodes a fresh object. A component that broke the rule
 * on an empty list now fails with {@link UnsupportedOperationException} instead of corrupting the
 * shared cache silently. Equality, hash codes and encoding are unchanged: an empty list or map
 * equals any empty one.
 *
 * <p>Thread-safe (the per-class field lists are computed once, in a {@link ClassValue}).
 */
final class ModelCompactor {
  /** Model trees are shallow (a pod is about 8 levels); this only guards against a cycle. */
  private static final int MAX_DEPTH = 64;
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  /** The fields of one model class that the walk reads or writes. */
  private record Shape(VarHandle additionalProperties, List<Child> children) {}

  /**
   * A field that may hold model objects; {@code sharesEmptyList}: its declared type is {@code List}
   * (or a supertype), so it may hold {@link List#of()}.
   */
  private record Child(VarHandle field, boolean sharesEmptyList) {}

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
    for (Child child : shape.children()) {
      Object value = child.field().get(object);
      if (value instanceof ArrayList<?> list) {
        if (list.isEmpty() && child.sharesEmptyList()) {
          child.field().set(object, List.of());
          continue;
        }
        list.trimToSize();
      }
      walk(value, depth + 1);
    }
  }

  /** A class of fabric8's model (not only {@code KubernetesResource}s: {@code Quantity} is none). */
  private static boolean isModel(Class<?> type) {
    return type.getName().startsWith(MODEL_PACKAGE);
  }

  /**
   * The {@code additionalProperties} field and the fields that may hold model objects or lists (model
   * types, collections and maps of them, as a container's resource quantities, and lists of strings)
   * of {@code type} and its superclasses; none for a class outside fabric8's model.
   */
  private static Shape shapeOf(Class<?> type) {
    VarHandle extra = null;
    List<Child> children = new ArrayList<>();
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
            children.add(new Child(lookup.unreflectVarHandle(f),
                f.getType().isAssignableFrom(List.class) && !Modifier.isFinal(f.getModifiers())));
          }
        } catch (IllegalAccessException unreadable) {
          // skipped: that field keeps its own maps
        }
      }
    }
    return new Shape(extra, List.copyOf(children));
  }
}
