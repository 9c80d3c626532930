package dev.skiff.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The writes that turn a Service's existing slices into the desired ones: per {@link SliceShape},
 * the sorted endpoints are cut into chunks of at most {@code maxPerSlice}; the shape's existing
 * slices (by name) take the chunks in order and are updated only where they differ; missing
 * slices are created from the template; slices left over, or of a shape no longer wanted, are
 * deleted. Simpler than upstream's reconciler, which packs new endpoints into the fullest slices
 * to keep churn low: here a pod that joins in the middle of the order shifts the later endpoints
 * of its shape (only slices whose content changed are written).
 *
 * @param create new slices (from the template: generateName, labels, owner)
 * @param update existing slices with new content (their resourceVersion guards the write)
 * @param delete existing slices to remove
 */
public record SlicePlan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
  public static SlicePlan of(Map<SliceShape, List<Endpoint>> desired, List<EndpointSlice> existing, EndpointSlice template,
      int maxPerSlice) {
    return of(desired, existing, template, maxPerSlice, false);
  }

  /**
   * As {@link #of(Map, List, EndpointSlice, int)}; with {@code syncAnnotations} an existing slice
   * also gets the template's annotations (the mirroring controller copies the Endpoints' ones).
   */
  public static SlicePlan of(Map<SliceShape, List<Endpoint>> desired, List<EndpointSlice> existing, EndpointSlice template,
      int maxPerSlice, boolean syncAnnotations) {
    if (maxPerSlice < 1) {
      throw new IllegalArgumentException("maxPerSlice must be positive: " + maxPerSlice);
    }
    Map<SliceShape, List<EndpointSlice>> have = new LinkedHashMap<>();
    existing.stream().sorted(Comparator.comparing(s -> s.getMetadata().getName()))
        .forEach(s -> have.computeIfAbsent(SliceShape.of(s), k -> new ArrayList<>()).add(s));
    List<EndpointSlice> create = new ArrayList<>();
    List<EndpointSlice> update = new ArrayList<>();
    List<EndpointSlice> delete = new ArrayList<>();
    for (var e : desired.entrySet()) {
      List<Endpoint> endpoints = e.getValue();
      List<EndpointSlice> slices = have.getOrDefault(e.getKey(), List.of());
      int chunks = Math.max(1, (endpoints.size() + maxPerSlice - 1) / maxPerSlice);
      for (int i = 0; i < chunks; i++) {
        List<Endpoint> chunk = endpoints.subList(i * maxPerSlice, Math.min(endpoints.size(), (i + 1) * maxPerSlice));
        if (i < slices.size()) {
          EndpointSlice old = slices.get(i);
          List<Endpoint> oldEndpoints = old.getEndpoints() == null ? List.of() : old.getEndpoints();
          Map<String, String> annotations = syncAnnotations
              ? template.getMetadata().getAnnotations() : old.getMetadata().getAnnotations();
          if (!oldEndpoints.equals(chunk) || !Objects.equals(old.getMetadata().getLabels(), template.getMetadata().getLabels())
              || !Objects.equals(emptyIfNull(old.getMetadata().getAnnotations()), emptyIfNull(annotations))) {
            update.add(new EndpointSliceBuilder(old).editMetadata().withLabels(template.getMetadata().getLabels())
                .withAnnotations(annotations).endMetadata().withEndpoints(chunk).build());
          }
        } else {
          create.add(new EndpointSliceBuilder(template).withAddressType(e.getKey().addressType())
              .withPorts(e.getKey().ports()).withEndpoints(chunk).build());
        }
      }
      delete.addAll(slices.subList(Math.min(chunks, slices.size()), slices.size()));
    }
    have.forEach((shape, slices) -> {
      if (!desired.containsKey(shape)) {
        delete.addAll(slices);
      }
    });
    return new SlicePlan(create, update, delete);
  }

  private static Map<String, String> emptyIfNull(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
