package dev.skiff.apiserver.registry.apiextensions;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.discovery.ResourceRegistry;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.NamespaceLifecycle;
import dev.skiff.apiserver.registry.ScalePaths;
import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves the custom resources of the stored CRDs, as upstream's CRD handler and its naming and
 * establishing controllers do together: watches the CRDs in the store, registers each served
 * version with the {@link ResourceRegistry} (so discovery shows it at once) and a
 * {@link GenericStore} for it, marks the CRD Established, and when a CRD goes, stops serving its
 * resources and deletes them.
 *
 * <p>Owns one virtual thread, started by {@link #start()} and stopped by {@link #close()}. The
 * registry and the store map must be thread-safe; this class changes them under its own lock.
 */
public final class CustomResourceDefinitions implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CustomResourceDefinitions.class);

  private final GenericStore crds;
  private final ResourceRegistry registry;
  private final Map<ResourceDefinition, GenericStore> stores;
  private final NamespaceLifecycle namespaces;
  private final InstantSource clock;
  /** What each CRD (by name) serves now; guarded by {@code this}. */
  private final Map<String, List<ResourceDefinition>> served = new HashMap<>();
  private volatile boolean closed;
  private Thread thread;
  private Watch watch;

  public CustomResourceDefinitions(GenericStore crds, ResourceRegistry registry,
      Map<ResourceDefinition, GenericStore> stores, NamespaceLifecycle namespaces, InstantSource clock) {
    this.crds = Objects.requireNonNull(crds, "crds");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Serves the CRDs stored now, then follows changes on a virtual thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    long revision = resync();
    thread = Thread.ofVirtual().name("crd-controller").start(() -> follow(revision));
  }

  /** Serves every stored CRD and stops serving those gone; returns the revision read. */
  private long resync() {
    Store store = crds.store();
    RangeResult r = store.range(RangeRequest.prefix(crds.codec().prefix("")));
    List<String> present = new ArrayList<>();
    for (KeyValue kv : r.kvs()) {
      ObjectNode crd = crds.codec().decode(kv);
      present.add(ObjectMeta.name(crd));
      apply(crd);
    }
    synchronized (this) {
      for (String name : List.copyOf(served.keySet())) {
        if (!present.contains(name)) {
          removed(name);
        }
      }
    }
    return r.revision();
  }

  private void follow(long revision) {
    long from = revision + 1;
    while (!closed) {
      try (Watch w = open(from)) {
        while (!closed) {
          WatchResponse resp = w.poll(Duration.ofSeconds(1));
          if (resp == null) {
            continue;
          }
          if (resp instanceof WatchResponse.Events events) {
            for (Event e : events.events()) {
              handle(e);
              from = e.revision() + 1;
            }
          } else if (resp instanceof WatchResponse.Ended) {
            if (!closed) {
              from = resync() + 1;
            }
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("CRD watch failed, resyncing: {}", e.toString());
        from = resync() + 1;
      }
    }
  }

  private synchronized Watch open(long from) {
    watch = crds.store().watch(WatchRequest.prefix(crds.codec().prefix(""), from));
    return watch;
  }

  private void handle(Event e) {
    if (e.type() == Event.Type.DELETE) {
      String key = e.kv().key().toStringUtf8();
      synchronized (this) {
        removed(key.substring(key.lastIndexOf('/') + 1));
      }
      return;
    }
    apply(crds.codec().decode(e.kv()));
  }

  /** Serves what {@code crd} says, then marks it Established. */
  private void apply(ObjectNode crd) {
    String name = ObjectMeta.name(crd);
    List<CustomResourceStrategy> strategies;
    try {
      strategies = strategiesOf(crd);
    } catch (RuntimeException e) {
      LOG.warn("cannot serve CRD {}: {}", name, e.toString());
      return;
    }
    synchronized (this) {
      String conflict = strategies.isEmpty() ? null : nameConflict(name, strategies.getFirst().definition());
      if (conflict != null) {
        // Upstream's naming controller: the CRD stays stored but is not served until the conflict goes.
        removed(name);
        rejectNames(crd, conflict);
        return;
      }
      List<ResourceDefinition> before = served.getOrDefault(name, List.of());
      List<ResourceDefinition> now = new ArrayList<>();
      for (CustomResourceStrategy s : strategies) {
        ResourceDefinition def = s.definition();
        now.add(def);
        // Put the store before registering, so a request routed by the new definition finds it.
        stores.put(def, new GenericStore(crds.store(), s, namespaces, clock, crds.watchCaches()));
        registry.register(def);
      }
      for (ResourceDefinition old : before) {
        if (!now.contains(old)) {
          if (registry.find(old.group(), old.version(), old.plural()).filter(old::equals).isPresent()) {
            registry.unregister(old);
          }
          stores.remove(old);
        }
      }
      served.put(name, now);
    }
    if (!isEstablished(crd)) {
      establish(name);
    }
  }

  /**
   * Why {@code def}'s names clash with another served CRD of the same group (kind, singular or
   * short names; plurals cannot clash, as they make the CRD's name), or null.
   */
  private String nameConflict(String name, ResourceDefinition def) {
    for (Map.Entry<String, List<ResourceDefinition>> e : served.entrySet()) {
      if (e.getKey().equals(name) || e.getValue().isEmpty() || !e.getValue().getFirst().group().equals(def.group())) {
        continue;
      }
      ResourceDefinition other = e.getValue().getFirst();
      if (other.kind().equals(def.kind())) {
        return "KindConflict:\"" + def.kind() + "\" is already in use";
      }
      if (other.singular().equals(def.singular()) || other.plural().equals(def.singular())) {
        return "SingularConflict:\"" + def.singular() + "\" is already in use";
      }
      for (String shortName : def.shortNames()) {
        if (other.shortNames().contains(shortName)) {
          return "ShortNamesConflict:\"" + shortName + "\" is already in use";
        }
      }
    }
    return null;
  }

  private void rejectNames(JsonNode current, String conflict) {
    CustomResourceDefinitionStrategy strategy = (CustomResourceDefinitionStrategy) crds.strategy();
    String name = ObjectMeta.name(current);
    String reason = conflict.substring(0, conflict.indexOf(':'));
    String message = conflict.substring(conflict.indexOf(':') + 1);
    for (JsonNode c : current.path("status").path("conditions")) {
      if (c.path("type").asString("").equals("NamesAccepted") && c.path("reason").asString("").equals(reason)) {
        return; // already recorded: writing again would only wake this watch again
      }
    }
    try {
      crds.systemUpdate("", name, crd -> {
        ArrayNode conditions = (ArrayNode) ((ObjectNode) crd.path("status")).withArray("conditions");
        replaceCondition(conditions, strategy.condition("NamesAccepted", "False", reason, message));
        replaceCondition(conditions, strategy.condition("Established", "False", "NotAccepted", "not all names are accepted"));
        return crd;
      });
    } catch (StatusError | ClassCastException e) {
      LOG.debug("could not record the name conflict of CRD {}: {}", name, e.toString());
    }
  }

  private static void replaceCondition(ArrayNode conditions, ObjectNode condition) {
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if (conditions.get(i).path("type").equals(condition.path("type"))) {
        conditions.remove(i);
      }
    }
    conditions.add(condition);
  }

  private static boolean isEstablished(JsonNode crd) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (c.path("type").asString("").equals("Established") && c.path("status").asString("").equals("True")) {
        return true;
      }
    }
    return false;
  }

  private void establish(String name) {
    CustomResourceDefinitionStrategy strategy = (CustomResourceDefinitionStrategy) crds.strategy();
    try {
      crds.systemUpdate("", name, crd -> {
        ArrayNode conditions = (ArrayNode) ((ObjectNode) crd.path("status")).withArray("conditions");
        replaceCondition(conditions, strategy.condition("NamesAccepted", "True", "NoConflicts", "no conflicts found"));
        replaceCondition(conditions, strategy.condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted"));
        return crd;
      });
    } catch (StatusError | ClassCastException e) {
      LOG.debug("could not mark CRD {} established: {}", name, e.toString());
    }
  }

  /** Stops serving the resources of CRD {@code name} and deletes its objects. */
  private void removed(String name) {
    List<ResourceDefinition> defs = served.remove(name);
    if (defs == null) {
      return;
    }
    for (ResourceDefinition def : defs) {
      registry.unregister(def);
      GenericStore store = stores.remove(def);
      if (store != null) {
        for (KeyValue kv : store.store().range(RangeRequest.prefix(store.codec().prefix(""))).kvs()) {
          store.store().delete(kv.key(), kv.modRevision());
        }
      }
    }
  }

  /** A strategy per served version, in upstream's version priority (GA, then beta, then alpha). */
  static List<CustomResourceStrategy> strategiesOf(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(s -> shortNames.add(s.asString("")));
    List<String> categories = new ArrayList<>();
    names.path("categories").forEach(s -> categories.add(s.asString("")));
    List<CustomResourceStrategy> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(false)) {
        continue;
      }
      String kind = names.path("kind").asString("");
      List<Subresource> subresources = new ArrayList<>();
      if (v.path("subresources").has("scale")) {
        subresources.add(Subresource.scale());
      }
      if (v.path("subresources").has("status")) {
        subresources.add(Subresource.status(kind));
      }
      ResourceDefinition def = new ResourceDefinition(spec.path("group").asString(""), v.path("name").asString(""),
          kind, names.path("plural").asString(""), names.path("singular").asString(""),
          spec.path("scope").asString("").equals("Namespaced"), ResourceDefinition.ALL_VERBS, shortNames,
          categories, subresources);
      List<JsonNode> columns = new ArrayList<>();
      v.path("additionalPrinterColumns").forEach(columns::add);
      JsonNode scale = v.path("subresources").path("scale");
      ScalePaths paths = new ScalePaths(scale.path("specReplicasPath").asString(".spec.replicas"),
          scale.path("statusReplicasPath").asString(".status.replicas"), scale.path("labelSelectorPath").asString(""));
      out.add(new CustomResourceStrategy(def, new StructuralSchema(v.path("schema").path("openAPIV3Schema")), columns, paths));
    }
    out.sort((a, b) -> VersionPriority.compare(a.definition().version(), b.definition().version()));
    return out;
  }

  @Override
  public void close() {
    closed = true;
    Watch w;
    synchronized (this) {
      w = watch;
    }
    if (w != null) {
      w.close();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
