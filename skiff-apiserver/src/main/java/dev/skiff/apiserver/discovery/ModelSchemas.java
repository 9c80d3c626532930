package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.skiff.apiserver.json.Json;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAPI v3 schemas of the built-in kinds, derived from the fabric8 model classes (the Kubernetes
 * types as Java classes): their Jackson properties give each field's JSON name, and the Java types
 * give the schema types. Good enough for {@code kubectl explain} (field names, types, nesting) and
 * for clients that read list merge keys; upstream's field descriptions are not available this way,
 * so descriptions are left out rather than invented.
 *
 * <p>Component names follow upstream's ({@code io.k8s.api.core.v1.Pod}) as far as the Java package
 * allows. Thread-safe: results are computed under a lock and cached.
 */
final class ModelSchemas {
  private static final String SERVICES = "META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource";
  private static final String MODEL = "io.fabric8.kubernetes.api.model";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1";
  /** fabric8 keeps these apimachinery types in its core package. */
  private static final Set<String> META_TYPES = Set.of("ObjectMeta", "ListMeta", "LabelSelector",
      "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "Condition", "Status", "StatusDetails",
      "StatusCause", "DeleteOptions", "Preconditions", "FieldsV1", "MicroTime", "Time");

  private final Function<String, List<String>> mergeKeys;
  /** Model classes by simple name, from the model jars' service files; loaded on first use. */
  private Map<String, List<String>> classesBySimpleName;

  /** @param mergeKeys the strategic-merge keys of a list field, by field name (empty: not a keyed list) */
  ModelSchemas(Function<String, List<String>> mergeKeys) {
    this.mergeKeys = mergeKeys;
  }

  /** The model class of a built-in kind, if fabric8 has one. */
  synchronized Optional<Class<?>> modelClass(String group, String version, String kind) {
    if (classesBySimpleName == null) {
      classesBySimpleName = indexModelClasses();
    }
    for (String name : classesBySimpleName.getOrDefault(kind, List.of())) {
      try {
        Class<?> c = Class.forName(name, false, ModelSchemas.class.getClassLoader());
        Group g = c.getAnnotation(Group.class);
        Version v = c.getAnnotation(Version.class);
        if (g != null && v != null && g.value().equals(group) && v.value().equals(version)) {
          return Optional.of(c);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // a listed class that is not on this classpath: not a candidate
      }
    }
    return Optional.empty();
  }

  private static Map<String, List<String>> indexModelClasses() {
    Map<String, List<String>> out = new HashMap<>();
    try {
      Enumeration<URL> files = ModelSchemas.class.getClassLoader().getResources(SERVICES);
      while (files.hasMoreElements()) {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(files.nextElement().openStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
              out.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new ArrayList<>()).add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Upstream's component name for a model class, as near as the Java package tells it. */
  static String componentName(Class<?> c) {
    String pkg = c.getPackageName();
    String simple = c.getSimpleName();
    if (simple.equals("Quantity")) {
      return "io.k8s.apimachinery.pkg.api.resource.Quantity";
    }
    if (simple.equals("IntOrString")) {
      return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    }
    if (pkg.equals(MODEL)) {
      return (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1") + "." + simple;
    }
    if (pkg.startsWith(MODEL + ".")) {
      String rest = pkg.substring(MODEL.length() + 1);
      if (rest.startsWith("apiextensions.")) {
        return "io.k8s.apiextensions-apiserver.pkg.apis." + rest + "." + simple;
      }
      return "io.k8s.api." + (rest.matches(".*\\.v\\d+\\w*") ? rest : rest + ".v1") + "." + simple;
    }
    return pkg + "." + simple;
  }

  /**
   * Adds the schema of {@code root} (a kind) and of every type it reaches to {@code components},
   * marking the root with its group, version and kind.
   */
  synchronized void addKind(Class<?> root, String group, String version, String kind, ObjectNode components) {
    add(root, components);
    ObjectNode gvk = ((ObjectNode) components.get(componentName(root))).putArray("x-kubernetes-group-version-kind")
        .addObject();
    gvk.put("group", group).put("kind", kind).put("version", version);
  }

  private void add(Class<?> type, ObjectNode components) {
    String name = componentName(type);
    if (components.has(name)) {
      return;
    }
    ObjectNode schema = components.putObject(name);
    if (type.getSimpleName().equals("Quantity")) {
      schema.put("type", "string");
      return;
    }
    if (type.getSimpleName().equals("IntOrString")) {
      schema.put("type", "string").put("format", "int-or-string");
      return;
    }
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (Field f : orderedProperties(type)) {
      JsonProperty p = f.getAnnotation(JsonProperty.class);
      properties.set(p.value(), property(p.value(), f.getGenericType(), components));
    }
  }

  private ObjectNode property(String name, Type type, ObjectNode components) {
    if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
      if (List.class.isAssignableFrom(raw)) {
        ObjectNode array = Json.object().put("type", "array");
        array.set("items", property(name, pt.getActualTypeArguments()[0], components));
        addListKeys(array, name, pt.getActualTypeArguments()[0]);
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = Json.object().put("type", "object");
        map.set("additionalProperties", property(name, pt.getActualTypeArguments()[1], components));
        return map;
      }
    }
    if (!(type instanceof Class<?> c)) {
      return Json.object().put("x-kubernetes-preserve-unknown-fields", true);
    }
    if (c == String.class) {
      return Json.object().put("type", "string");
    }
    if (c == Integer.class || c == int.class || c == Short.class) {
      return Json.object().put("type", "integer").put("format", "int32");
    }
    if (c == Long.class || c == long.class) {
      return Json.object().put("type", "integer").put("format", "int64");
    }
    if (c == Boolean.class || c == boolean.class) {
      return Json.object().put("type", "boolean");
    }
    if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
      return Json.object().put("type", "number").put("format", "double");
    }
    if (c.getPackageName().startsWith(MODEL) && !c.isInterface() && !orderedProperties(c).isEmpty()
        || c.getSimpleName().equals("Quantity") || c.getSimpleName().equals("IntOrString")) {
      add(c, components);
      return Json.object().put("$ref", "#/components/schemas/" + componentName(c));
    }
    // Object, JSON trees, raw extensions: any JSON
    return Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
  }

  /**
   * Marks a keyed list as upstream does: the strategic-merge key (the first of the field's merge
   * keys that the item type has: {@code ports} are keyed by {@code containerPort} in a container and
   * by {@code port} in a service) and the list-map keys, which add {@code protocol} for ports.
   */
  private void addListKeys(ObjectNode array, String name, Type item) {
    if (!(item instanceof Class<?> c)) {
      return;
    }
    List<String> itemFields = orderedProperties(c).stream().map(f -> f.getAnnotation(JsonProperty.class).value())
        .toList();
    mergeKeys.apply(name).stream().filter(itemFields::contains).findFirst().ifPresent(key -> {
      array.put("x-kubernetes-list-type", "map");
      ArrayNode mapKeys = array.putArray("x-kubernetes-list-map-keys").add(key);
      if (name.equals("ports") && itemFields.contains("protocol")) {
        mapKeys.add("protocol");
      }
      array.put("x-kubernetes-patch-merge-key", key).put("x-kubernetes-patch-strategy", "merge");
    });
  }

  /** Adds the schema of a model class and of every type it reaches to {@code components}. */
  synchronized void addType(Class<?> type, ObjectNode components) {
    add(type, components);
  }

  /** The Jackson properties of a model class, in its declared JSON order. */
  private static List<Field> orderedProperties(Class<?> type) {
    Map<String, Field> byName = new LinkedHashMap<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        JsonProperty p = f.getAnnotation(JsonProperty.class);
        if (p != null && !p.value().isEmpty() && !Modifier.isStatic(f.getModifiers())
            && f.getAnnotation(JsonIgnore.class) == null) {
          byName.putIfAbsent(p.value(), f);
        }
      }
    }
    JsonPropertyOrder order = type.getAnnotation(JsonPropertyOrder.class);
    if (order == null) {
      return List.copyOf(byName.values());
    }
    List<Field> out = new ArrayList<>();
    Arrays.stream(order.value()).map(byName::remove).filter(f -> f != null).forEach(out::add);
    out.addAll(byName.values());
    return out;
  }
}
