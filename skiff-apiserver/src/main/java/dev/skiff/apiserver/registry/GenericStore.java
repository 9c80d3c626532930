package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.admission.Admission;
import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.apply.ApplySchema;
import dev.skiff.apiserver.apply.FieldOwnership;
import dev.skiff.apiserver.apply.ManagedFieldsEntry;
import dev.skiff.apiserver.apply.WriteOrigin;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.apiextensions.CustomResourceStrategy;
import dev.skiff.apiserver.registry.cache.WatchCache;
import dev.skiff.apiserver.registry.cache.WatchCaches;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import dev.skiff.storage.WriteResult;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic REST store of one resource over a {@link Store}, as upstream's
 * {@code registry/generic/registry.Store}: create, get, update, guaranteed update (for patches),
 * delete; lists and watches live in {@link ResourceLister} and {@link ResourceWatch}. What differs
 * between resources comes from the {@link ResourceStrategy}. Thread-safe; every write is a
 * compare-and-swap on the object's mod revision.
 */
public final class GenericStore {
  /** Upstream's attempts at a free generated name before AlreadyExists (RetryGenerateName). */
  private static final int GENERATE_NAME_ATTEMPTS = 8;
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final int MAX_CAS_RETRIES = 32;

  private final Store store;
  private final ResourceStrategy strategy;
  private final ResourceDefinition def;
  private final ObjectCodec codec;
  private final NamespaceLifecycle namespaces;
  private final InstantSource clock;
  private final WatchCaches caches;
  private final Admission admission;
  private final FieldOwnership ownership;
  /** Whether this is the namespaces resource, whose writes the NamespaceLifecycle must hear of. */
  private final boolean isNamespaces;

  /** A store whose lists and watches read the store directly (no watch cache). */
  public GenericStore(Store store, ResourceStrategy strategy, NamespaceLifecycle namespaces, InstantSource clock) {
    this(store, strategy, namespaces, clock, null);
  }

  /**
   * A store whose lists and watches are served from its resource's cache in {@code caches}
   * (null: none).
   */
  public GenericStore(Store store, ResourceStrategy strategy, NamespaceLifecycle namespaces, InstantSource clock,
      WatchCaches caches) {
    this(store, strategy, namespaces, clock, caches, Admission.NONE);
  }

  /** As above, with {@code admission} run on every create (LimitRanger, ResourceQuota). */
  public GenericStore(Store store, ResourceStrategy strategy, NamespaceLifecycle namespaces, InstantSource clock,
      WatchCaches caches, Admission admission) {
    this.admission = Objects.requireNonNull(admission, "admission");
    this.caches = caches;
    this.store = Objects.requireNonNull(store, "store");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.def = strategy.definition();
    this.codec = strategy instanceof dev.skiff.apiserver.conversion.ConvertedVersion c
        ? new ObjectCodec(def, c.conversion()) : new ObjectCodec(def);
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.isNamespaces = def.group().isEmpty() && def.plural().equals("namespaces");
    this.ownership = new FieldOwnership(
        ApplySchema.of(strategy instanceof CustomResourceStrategy c ? c.schema().root() : null), def.apiVersion(),
        def.subresources().stream().anyMatch(s -> s.name().equals("status")), clock);
  }

  /** The field ownership (server-side apply, managedFields) of this resource. */
  public FieldOwnership fieldOwnership() {
    return ownership;
  }

  /**
   * Records in {@code updated}'s managedFields what the request's writer changed ({@code old} null
   * for a create). Applies record their own, and the server's writes outside a request record nothing.
   */
  private void recordOwnership(ObjectNode old, ObjectNode updated) {
    if (WriteOrigin.CURRENT.isBound() && WriteOrigin.CURRENT.get().operation() == ManagedFieldsEntry.Operation.UPDATE) {
      ownership.recordUpdate(old, updated, WriteOrigin.CURRENT.get());
    }
  }

  public ResourceDefinition definition() {
    return def;
  }

  public ResourceStrategy strategy() {
    return strategy;
  }

  public ObjectCodec codec() {
    return codec;
  }

  public Store store() {
    return store;
  }

  /** The caches this store's lists and watches use, for stores of related resources; null when none. */
  public WatchCaches watchCaches() {
    return caches;
  }

  /** The watch cache of this resource, started on first use; empty when the store has none. */
  public Optional<WatchCache> watchCache() {
    return caches == null ? Optional.empty() : Optional.ofNullable(caches.forResource(codec));
  }

  /**
   * Creates {@code obj} in {@code namespace} ("" for cluster-scoped resources).
   *
   * @throws StatusError 409 AlreadyExists, 422 Invalid, 404 when the namespace is missing
   */
  public ObjectNode create(String namespace, ObjectNode obj, boolean dryRun) {
    return createStored(namespace, obj, dryRun).object();
  }

  /**
   * A create's result: the object as a read returns it, and what was stored (null for a dry run),
   * from which a response can be written without encoding the object again.
   */
  public record Created(ObjectNode object, KeyValue stored) {}

  /** As {@link #create}, with the stored key-value. */
  public Created createStored(String namespace, ObjectNode obj, boolean dryRun) {
    checkKind(obj);
    TypeCheck.check(obj, def, strategy);
    ObjectNode meta = ObjectMeta.of(obj);
    setNamespace(namespace, meta);
    String name = ObjectMeta.name(obj);
    String generateName = Json.text(meta, "generateName").orElse("");
    boolean generated = name.isEmpty() && !generateName.isEmpty();
    if (generated) {
      name = generatedName(generateName);
      meta.put("name", name);
    }
    meta.put("uid", newUid());
    meta.put("creationTimestamp", ObjectMeta.formatTime(clock.instant()));
    meta.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
    // Generation is the server's: strategies of resources that track spec changes set it to 1.
    meta.remove("generation");
    // upstream's order: defaults, then the writer's managedFields entry, then mutating admission, so
    // the writer does not own what admission adds (a pod's token volume, tolerations, priority)
    strategy.prepareForCreate(obj);
    recordOwnership(null, obj);
    admission.mutate(namespace, def, obj);
    strategy.admitCreate(obj);
    List<FieldError> errors = new ArrayList<>(MetadataValidation.validate(obj, def.namespaced(), strategy.nameIsLabel()));
    errors.addAll(strategy.validate(obj));
    if (!errors.isEmpty()) {
      throw StatusError.invalid(def.group(), def.kind(), name, errors);
    }
    if (def.namespaced()) {
      namespaces.admitCreate(namespace, def.group(), def.plural(), name);
    }
    admission.validate(namespace, def, obj, dryRun);
    if (dryRun) {
      if (store.get(codec.key(namespace, name)).isPresent()) {
        throw StatusError.alreadyExists(def.group(), def.plural(), name);
      }
      return new Created(obj, null);
    }
    // a generated name that is taken is generated again, as upstream's RetryGenerateName (on in 1.32)
    for (int attempt = 1; ; attempt++) {
      switch (store.create(codec.key(namespace, name), codec.encode(obj))) {
        case WriteResult.Written w -> {
          return new Created(codec.withRevision(obj, w.kv()), w.kv());
        }
        case WriteResult.AlreadyExists a -> {
          if (!generated || attempt >= GENERATE_NAME_ATTEMPTS) {
            throw StatusError.alreadyExists(def.group(), def.plural(), name);
          }
          name = generatedName(generateName);
          meta.put("name", name);
        }
        case WriteResult.NotFound n -> throw StatusError.internal("create reported not found");
        case WriteResult.RevisionMismatch m -> throw StatusError.internal("create reported a revision mismatch");
      }
    }
  }

  /** {@code prefix} (cut to 58 characters) and five random characters, as upstream's name generator. */
  private static String generatedName(String prefix) {
    return (prefix.length() > 58 ? prefix.substring(0, 58) : prefix) + RandomSource.SHARED.chars(NAME_CHARS, 5);
  }

  /** @throws StatusError 404 when absent */
  public ObjectNode get(String namespace, String name) {
    return codec.decode(current(namespace, name));
  }

  /**
   * The stored object, as bytes without resourceVersion (see {@link ObjectCodec}).
   *
   * @throws StatusError 404 when absent
   */
  public KeyValue getStored(String namespace, String name) {
    return current(namespace, name);
  }

  private KeyValue current(String namespace, String name) {
    return store.get(codec.key(namespace, name))
        .orElseThrow(() -> StatusError.notFound(def.group(), def.plural(), name));
  }

  /**
   * Replaces the object. A non-empty resourceVersion in {@code obj} must match the stored one
   * (409 Conflict otherwise); an empty one means an unconditional update, as upstream allows for
   * these resources.
   */
  public ObjectNode update(String namespace, String name, ObjectNode obj, boolean dryRun) {
    checkKind(obj);
    ObjectNode meta = ObjectMeta.of(obj);
    setNamespace(namespace, meta);
    String bodyName = ObjectMeta.name(obj);
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusError.badRequest(
          "the name of the object (%s) does not match the name on the URL (%s)".formatted(bodyName, name));
    }
    meta.put("name", name);
    String wantRv = ObjectMeta.resourceVersion(obj);
    return guaranteedUpdate(namespace, name, wantRv, dryRun, old -> obj);
  }

  /**
   * Reads the object, applies {@code change} to a copy, validates and writes it with a CAS on the
   * mod revision, retrying on a concurrent write unless {@code preconditionRv} pins a version.
   */
  public ObjectNode guaranteedUpdate(
      String namespace, String name, String preconditionRv, boolean dryRun, UnaryOperator<ObjectNode> change) {
    return guaranteedUpdate(namespace, name, preconditionRv, dryRun, change, false);
  }

  /**
   * As {@link #guaranteedUpdate(String, String, String, boolean, UnaryOperator)}; with
   * {@code statusOnly} the strategy's update preparation is skipped, for the status subresource,
   * whose {@code change} already keeps everything but the status.
   */
  public ObjectNode guaranteedUpdate(String namespace, String name, String preconditionRv, boolean dryRun,
      UnaryOperator<ObjectNode> change, boolean statusOnly) {
    for (int attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      KeyValue kv = current(namespace, name);
      ObjectNode old = codec.decode(kv);
      if (!preconditionRv.isEmpty() && !preconditionRv.equals(Long.toString(kv.modRevision()))) {
        throw StatusError.staleResourceVersion(def.group(), def.plural(), name);
      }
      ObjectNode updated = change.apply(old.deepCopy());
      checkKind(updated);
      TypeCheck.check(updated, def, strategy);
      carryOverMetadata(updated, old, namespace, name);
      if (!statusOnly) {
        strategy.prepareForUpdate(updated, old);
      }
      recordOwnership(old, updated);
      List<FieldError> errors = new ArrayList<>(MetadataValidation.validate(updated, def.namespaced(), strategy.nameIsLabel()));
      errors.addAll(strategy.validateUpdate(updated, old));
      if (!errors.isEmpty()) {
        throw StatusError.invalid(def.group(), def.kind(), name, errors);
      }
      if (!statusOnly) {
        admission.validateUpdate(namespace, def, updated, old, dryRun);
      }
      Bytes value = codec.encode(updated);
      if (value.equals(kv.value()) || dryRun) {
        // Upstream writes nothing for a no-op update, so the resourceVersion stays.
        return dryRun ? codec.withRevision(updated, kv) : old;
      }
      if (ObjectMeta.isTerminating(updated) && finalizers(updated).isEmpty() && !strategy.holdsDeletion(updated)
          && old.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0) {
        // The last finalizer went away: the object is now deleted, as upstream does in update. A pod in
        // its grace period (deletionGracePeriodSeconds > 0) stays: its kubelet still posts status.
        WriteResult r = remove(namespace, name, kv.modRevision());
        if (r instanceof WriteResult.Written) {
          return updated;
        }
        continue;
      }
      switch (write(namespace, name, value, kv.modRevision())) {
        case WriteResult.Written w -> {
          return codec.withRevision(updated, w.kv());
        }
        case WriteResult.NotFound n -> throw StatusError.notFound(def.group(), def.plural(), name);
        case WriteResult.RevisionMismatch m -> {
          if (!preconditionRv.isEmpty()) {
            throw StatusError.staleResourceVersion(def.group(), def.plural(), name);
          }
        }
        case WriteResult.AlreadyExists a -> throw StatusError.internal("update reported already exists");
      }
    }
    throw StatusError.conflict(def.group(), def.plural(), name, "too many concurrent writes; try again");
  }

  /**
   * Writes {@code change(current)} with a CAS on the mod revision, retrying on concurrent writes,
   * without the strategy's hooks: for transitions the server makes itself below validation, as
   * upstream's storage does for pod bindings. {@code change} may throw a {@link StatusError}.
   *
   * <p>The first attempt starts from the watch cache's copy when it has one, as upstream's cacher
   * hands its cached object to the storage's guaranteed update: the CAS rejects a copy that is not
   * current, and when {@code change} rejects the cached copy (it may be older than the request's
   * caller knows) the store's current object is read and {@code change} runs again, so a stale copy
   * never decides the outcome.
   *
   * @return what was stored
   */
  public KeyValue systemUpdate(String namespace, String name, UnaryOperator<ObjectNode> change) {
    Bytes key = codec.key(namespace, name);
    Optional<KeyValue> cached = watchCache().flatMap(c -> c.get(key));
    for (int attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      boolean fromCache = attempt == 0 && cached.isPresent();
      KeyValue kv = fromCache ? cached.get() : current(namespace, name);
      ObjectNode updated;
      try {
        updated = change.apply(codec.decode(kv));
      } catch (StatusError e) {
        if (fromCache) {
          continue;
        }
        throw e;
      }
      if (write(namespace, name, codec.encode(updated), kv.modRevision()) instanceof WriteResult.Written w) {
        return w.kv();
      }
    }
    throw StatusError.conflict(def.group(), def.plural(), name, "too many concurrent writes; try again");
  }

  private void carryOverMetadata(ObjectNode updated, ObjectNode old, String namespace, String name) {
    ObjectNode meta = ObjectMeta.of(updated);
    JsonNode oldMeta = old.path("metadata");
    meta.put("name", name);
    setNamespace(namespace, meta);
    for (String f : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation")) {
      if (oldMeta.has(f)) {
        meta.set(f, oldMeta.get(f).deepCopy());
      } else {
        meta.remove(f);
      }
    }
    meta.remove("resourceVersion");
  }

  /** The outcome of a delete: the object as deleted (or as marked for deletion) and whether it is gone. */
  public record Deleted(ObjectNode object, boolean gone) {}

  /**
   * Deletes the object, or, when it has finalizers, marks it with a deletionTimestamp.
   *
   * @param preconditionUid "" or the uid the object must have
   * @param preconditionRv "" or the resourceVersion the object must have
   */
  public Deleted delete(String namespace, String name, String preconditionUid, String preconditionRv, boolean dryRun) {
    return delete(namespace, name, preconditionUid, preconditionRv, dryRun, null);
  }

  /**
   * As {@link #delete(String, String, String, String, boolean)}, with the request's
   * gracePeriodSeconds (null when not given) for resources with graceful deletion.
   */
  public Deleted delete(String namespace, String name, String preconditionUid, String preconditionRv, boolean dryRun,
      Long gracePeriodSeconds) {
    for (int attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      KeyValue kv = current(namespace, name);
      ObjectNode obj = codec.decode(kv);
      String uid = ObjectMeta.uid(obj);
      if (!preconditionUid.isEmpty() && !preconditionUid.equals(uid)) {
        throw StatusError.conflict(def.group(), def.plural(), name,
            "Precondition failed: UID in precondition: %s, UID in object meta: %s".formatted(preconditionUid, uid));
      }
      String rv = Long.toString(kv.modRevision());
      if (!preconditionRv.isEmpty() && !preconditionRv.equals(rv)) {
        throw StatusError.conflict(def.group(), def.plural(), name,
            "Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %s"
                .formatted(preconditionRv, rv));
      }
      long grace = strategy.gracePeriodSeconds(obj, gracePeriodSeconds);
      if (!finalizers(obj).isEmpty() || grace > 0) {
        if (dryRun || (ObjectMeta.isTerminating(obj) && grace > 0)
            || (ObjectMeta.isTerminating(obj) && !finalizers(obj).isEmpty())) {
          return new Deleted(obj, false);
        }
        ObjectNode marked = obj.deepCopy();
        ObjectMeta.of(marked).put("deletionTimestamp", ObjectMeta.formatTime(clock.instant().plusSeconds(grace)))
            .put("deletionGracePeriodSeconds", grace);
        WriteResult r = write(namespace, name, codec.encode(marked), kv.modRevision());
        if (r instanceof WriteResult.Written w) {
          return new Deleted(codec.decode(w.kv()), false);
        }
        continue;
      }
      if (dryRun) {
        return new Deleted(obj, true);
      }
      switch (remove(namespace, name, kv.modRevision())) {
        case WriteResult.Written w -> {
          return new Deleted(obj, true);
        }
        case WriteResult.NotFound n -> throw StatusError.notFound(def.group(), def.plural(), name);
        case WriteResult.RevisionMismatch m -> {}
        case WriteResult.AlreadyExists a -> throw StatusError.internal("delete reported already exists");
      }
    }
    throw StatusError.conflict(def.group(), def.plural(), name, "too many concurrent writes; try again");
  }

  /** Updates the stored object; a namespace's write also reaches the NamespaceLifecycle's memory. */
  private WriteResult write(String namespace, String name, Bytes value, long expectedModRevision) {
    try {
      return store.update(codec.key(namespace, name), value, expectedModRevision);
    } finally {
      namespaceWritten(name);
    }
  }

  /** Deletes the stored object; as {@link #write}. */
  private WriteResult remove(String namespace, String name, long expectedModRevision) {
    try {
      return store.delete(codec.key(namespace, name), expectedModRevision);
    } finally {
      namespaceWritten(name);
    }
  }

  /**
   * Tells the NamespaceLifecycle admission that namespace {@code name} was written, when this is
   * the namespaces resource; for writers that go to the store around this class.
   */
  public void namespaceWritten(String name) {
    if (isNamespaces) {
      namespaces.namespaceWritten(name);
    }
  }

  /** A random (version 4, RFC 4122 variant) UUID, as upstream's uids. */
  static String newUid() {
    return RandomSource.SHARED.uuid();
  }

  static List<String> finalizers(JsonNode obj) {
    List<String> out = new ArrayList<>();
    obj.path("metadata").path("finalizers").forEach(f -> out.add(f.asString("")));
    return out;
  }

  private void setNamespace(String namespace, ObjectNode meta) {
    if (!def.namespaced()) {
      meta.remove("namespace");
      return;
    }
    Optional<String> bodyNs = Json.text(meta, "namespace");
    if (bodyNs.isPresent() && !bodyNs.get().isEmpty() && !bodyNs.get().equals(namespace)) {
      throw StatusError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    meta.put("namespace", namespace);
  }

  private void checkKind(ObjectNode obj) {
    Optional<String> apiVersion = Json.text(obj, "apiVersion");
    if (apiVersion.isPresent() && !apiVersion.get().equals(def.apiVersion())) {
      throw StatusError.badRequest("the API version in the data (%s) does not match the expected API version (%s)"
          .formatted(apiVersion.get(), def.apiVersion()));
    }
    Optional<String> kind = Json.text(obj, "kind");
    if (kind.isPresent() && !kind.get().equals(def.kind())) {
      throw StatusError.badRequest("the kind in the data (%s) does not match the expected kind (%s)"
          .formatted(kind.get(), def.kind()));
    }
    obj.put("kind", def.kind()).put("apiVersion", def.apiVersion());
  }
}
