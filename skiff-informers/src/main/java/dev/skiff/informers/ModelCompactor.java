package dev.skiff.informers;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shrinks a decoded fabric8 model object in place before an informer caches it:
 * <ul>
 *   <li>every object of the model carries an {@code additionalProperties} map for fields the model
 *       does not know, a fresh {@code LinkedHashMap} even when empty (64 bytes; a cached pod has about
 *       35 of them, a third of the maps of a 10,000-pod cache): empty ones become one shared
 *       immutable empty map;
 *   <li>every list and map field of the model starts as a fresh {@code ArrayList} or {@code
 *       LinkedHashMap} (24 or 64 bytes), which stays when the JSON has no such field (about 55 lists
 *       per cached pod, 13 MiB of a 10,000-pod cache): empty ones become the shared immutable
 *       {@link List#of()} and {@link Map#of()};
 *   <li>a list Jackson filled keeps the spare room of its growth (10 slots for one element): it is
 *       trimmed to its size, and stays a mutable {@code ArrayList}; a filled map (labels, resource
 *       requests) has a table of 16 slots for one to three entries: it is copied into a mutable
 *       {@code LinkedHashMap} of its size, in the same order;
 *   <li>strings repeat from object to object (namespace, image, label keys and values, condition
 *       types, quantities, owner references: about 60 of a pod's 74): they are interned, so a cache
 *       holds one {@code String} of each (the collector's string deduplication shares only their
 *       bytes, and only after a few collections). An object's own name, uid and resource version are
 *       left as they are.
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
  private record Shape(VarHandle additionalProperties, List<Child> children, List<VarHandle> strings) {}

  /**
   * A field that may hold model objects, lists or maps, and whether its declared type admits the
   * shared empty list or map (and a rebuilt {@code LinkedHashMap}).
   */
  private record Child(VarHandle field, boolean takesList, boolean takesMap) {}

  /** Fields of {@code ObjectMeta} whose values are one object's own: interning them would share nothing. */
  private static final java.util.Set<String> UNIQUE_META = java.util.Set.of("name", "uid", "resourceVersion");

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
    for (VarHandle field : shape.strings()) {
      if (field.get(object) instanceof String value) {
        String shared = value.intern();
        if (shared != value) {
          field.set(object, shared);
        }
      }
    }
    for (Child child : shape.children()) {
      walk(compacted(object, child), depth + 1);
    }
  }

  /**
   * The value of {@code child} in {@code object}, after replacing an empty list or map by the shared
   * empty one, trimming a filled list and interning its strings, and rebuilding a filled map at its
   * exact size with interned string keys and values.
   */
  @SuppressWarnings("unchecked")
  private static Object compacted(Object object, Child child) {
    Object value = child.field().get(object);
    if (value instanceof ArrayList<?> list) {
      if (list.isEmpty() && child.takesList()) {
        child.field().set(object, List.of());
        return null;
      }
      list.trimToSize();
      ((List<Object>) list).replaceAll(ModelCompactor::interned);
    } else if (value instanceof LinkedHashMap<?, ?> map && child.takesMap()) {
      if (map.isEmpty()) {
        child.field().set(object, Map.of());
        return null;
      }
      // a map grows its table to 16 slots at the first entry; labels and requests hold one to a few.
      // forEach, not keySet() or values(): a LinkedHashMap keeps the views it hands out
      Map<Object, Object> exact = LinkedHashMap.newLinkedHashMap(map.size());
      map.forEach((k, v) -> exact.put(interned(k), interned(v)));
      child.field().set(object, exact);
      return exact;
    }
    return value;
  }

  private static Object interned(Object value) {
    return value instanceof String s ? s.intern() : value;
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
    List<VarHandle> strings = new ArrayList<>();
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
            boolean settable = !Modifier.isFinal(f.getModifiers());
            children.add(new Child(lookup.unreflectVarHandle(f), settable && f.getType().isAssignableFrom(List.class),
                settable && f.getType().isAssignableFrom(LinkedHashMap.class)));
          } else if (f.getType() == String.class && !Modifier.isFinal(f.getModifiers())
              && !(c == ObjectMeta.class && UNIQUE_META.contains(f.getName()))) {
            strings.add(lookup.unreflectVarHandle(f));
          }
        } catch (IllegalAccessException unreadable) {
          // skipped: that field keeps its own maps
        }
      }
    }
    return new Shape(extra, List.copyOf(children), List.copyOf(strings));
  }
}
