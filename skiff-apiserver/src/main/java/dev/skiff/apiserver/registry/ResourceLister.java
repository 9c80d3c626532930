package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.registry.cache.WatchCache;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lists one resource with upstream's semantics: selectors, {@code limit}/{@code continue} paging
 * pinned to the first page's revision, and {@code resourceVersion}/{@code resourceVersionMatch}.
 * Filtering happens while paging, so a page holds up to {@code limit} matching objects.
 */
public final class ResourceLister {
  /** How long a list waits for a resourceVersion newer than the store's, as upstream's cache. */
  private static final Duration FUTURE_RV_WAIT = Duration.ofSeconds(3);
  /** How long a list waits for the watch cache to catch up before it reads the store instead. */
  private static final Duration CACHE_WAIT = Duration.ofSeconds(3);

  private final GenericStore resource;

  public ResourceLister(GenericStore resource) {
    this.resource = Objects.requireNonNull(resource, "resource");
  }

  /** The list with its objects decoded, for tables, metadata-only output, YAML and deletecollection. */
  public ListResult list(String namespace, ListOptions options) {
    StoredList stored = listStored(namespace, options);
    List<ObjectNode> items = new ArrayList<>(stored.items().size());
    for (int i = 0; i < stored.items().size(); i++) {
      ObjectNode decoded = stored.decoded().get(i);
      items.add(decoded != null ? decoded : resource.codec().decode(stored.items().get(i)));
    }
    return new ListResult(items, stored.revision(), stored.continueToken(), stored.remainingItemCount());
  }

  /**
   * The list as stored key-values, decoded only as far as the selectors need: a JSON list writes
   * them out without building trees ({@link ObjectCodec#writeListItem}).
   */
  public StoredList listStored(String namespace, ListOptions options) {
    ObjectFilter filter = ObjectFilter.of(options, resource.strategy());
    Store store = resource.store();
    ObjectCodec codec = resource.codec();
    Bytes prefix = codec.prefix(effectiveNamespace(namespace, options));
    Optional<WatchCache> cache = resource.watchCache();
    if (cache.isPresent()) {
      StoredList cached = options.continueToken().isEmpty()
          ? listFromCache(cache.get(), prefix, filter, options)
          : continueFromCache(cache.get(), prefix, filter, options);
      if (cached != null) {
        return cached;
      }
    }
    Bytes end = prefix.prefixEnd();
    Bytes from = prefix;
    long revision = 0;
    if (!options.continueToken().isEmpty()) {
      ContinueToken token = ContinueToken.decode(options.continueToken());
      from = prefix.concat(Bytes.of(token.start()));
      revision = token.revision();
    } else {
      revision = requestedRevision(options, store);
    }
    int limit = options.limit();
    Matches items = new Matches(codec, filter);
    String next = "";
    Long remaining = null;
    try {
      while (true) {
        int pageSize = limit > 0 ? Math.max(limit - items.size(), 1) : 0;
        RangeResult page = store.range(new RangeRequest(from, end, revision, pageSize, false));
        revision = page.revision();
        KeyValue stoppedAt = null;
        int consumed = 0;
        for (KeyValue kv : page.kvs()) {
          consumed++;
          if (items.offer(kv)) {
            if (limit > 0 && items.size() == limit) {
              stoppedAt = kv;
              break;
            }
          }
        }
        boolean moreInPage = consumed < page.kvs().size();
        if (stoppedAt != null && (moreInPage || page.more())) {
          Bytes nextKey = stoppedAt.key().successor();
          next = new ContinueToken(revision, relative(prefix, nextKey)).encode();
          if (filter.matchesEverything()) {
            remaining = page.count() - consumed;
          }
          break;
        }
        if (!page.more() || page.kvs().isEmpty()) {
          break;
        }
        from = page.kvs().getLast().key().successor();
      }
    } catch (CompactedException e) {
      if (!options.continueToken().isEmpty()) {
        throw StatusError.expired("The provided continue parameter is too old to display a consistent list"
            + " result. You can start a new list without the continue parameter.");
      }
      throw StatusError.expired("The resourceVersion for the provided list is too old.");
    }
    return items.result(revision, next, remaining);
  }

  /**
   * The list served from the watch cache, or null when the cache cannot serve it consistently:
   * "" waits for the cache to reach the store's current revision (a consistent read, as upstream
   * 1.32), "0" takes the cache as it is, a revision N waits for the cache to reach N, and Exact is
   * served only when the cache stands at exactly that revision. Later pages (continue) come from the
   * store at the first page's revision.
   */
  private StoredList listFromCache(WatchCache cache, Bytes prefix, ObjectFilter filter, ListOptions options) {
    String rv = options.resourceVersion();
    boolean exact = options.resourceVersionMatch().equals("Exact");
    long wanted;
    if (rv.isEmpty() || rv.equals("0")) {
      if (exact) {
        return null;
      }
      wanted = rv.isEmpty() ? resource.store().currentRevision() : 0;
    } else {
      try {
        wanted = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        return null;
      }
      if (wanted > resource.store().currentRevision()) {
        return null;
      }
    }
    try {
      if (!cache.awaitRevision(wanted, CACHE_WAIT)) {
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    WatchCache.Snapshot snapshot = cache.snapshot(prefix);
    if (exact && snapshot.revision() != wanted) {
      return null;
    }
    return page(snapshot, prefix, filter, options.limit());
  }

  /**
   * A later page from the watch cache when the cache still stands at the revision the continue
   * token pins: nothing under the resource changed since, so the cache holds exactly the store's
   * state at that revision. Null otherwise (the store serves the page at that revision).
   */
  private StoredList continueFromCache(WatchCache cache, Bytes prefix, ObjectFilter filter, ListOptions options) {
    ContinueToken token = ContinueToken.decode(options.continueToken());
    if (cache.revision() != token.revision()) {
      return null;
    }
    WatchCache.Snapshot snapshot = cache.snapshot(prefix, prefix.concat(Bytes.of(token.start())));
    if (snapshot.revision() != token.revision()) {
      return null;
    }
    return page(snapshot, prefix, filter, options.limit());
  }

  /** Up to {@code limit} matching objects of {@code snapshot} (0: all), with the next page's token. */
  private StoredList page(WatchCache.Snapshot snapshot, Bytes prefix, ObjectFilter filter, int limit) {
    Matches items = new Matches(resource.codec(), filter);
    List<KeyValue> all = snapshot.items();
    int consumed = 0;
    KeyValue stoppedAt = null;
    for (KeyValue kv : all) {
      consumed++;
      if (items.offer(kv)) {
        if (limit > 0 && items.size() == limit) {
          stoppedAt = kv;
          break;
        }
      }
    }
    String next = "";
    Long remaining = null;
    if (stoppedAt != null && consumed < all.size()) {
      next = new ContinueToken(snapshot.revision(), relative(prefix, stoppedAt.key().successor())).encode();
      if (filter.matchesEverything()) {
        remaining = (long) (all.size() - consumed);
      }
    }
    return items.result(snapshot.revision(), next, remaining);
  }

  /** The matching key-values of a list so far, with the trees decoded for the selectors kept. */
  private static final class Matches {
    private final ObjectCodec codec;
    private final ObjectFilter filter;
    private final List<KeyValue> items = new ArrayList<>();
    private final List<ObjectNode> decoded = new ArrayList<>();

    Matches(ObjectCodec codec, ObjectFilter filter) {
      this.codec = codec;
      this.filter = filter;
    }

    /** Adds {@code kv} when it matches the selectors; true if it did. */
    boolean offer(KeyValue kv) {
      ObjectNode obj = null;
      if (!filter.matchesEverything()) {
        obj = codec.decode(kv);
        if (!filter.matches(obj)) {
          return false;
        }
      }
      items.add(kv);
      decoded.add(obj);
      return true;
    }

    int size() {
      return items.size();
    }

    StoredList result(long revision, String next, Long remaining) {
      return new StoredList(items, decoded, revision, next, remaining);
    }
  }

  /** A field selector on metadata.namespace narrows a cluster-wide list of a namespaced resource. */
  private String effectiveNamespace(String namespace, ListOptions options) {
    if (namespace.isEmpty()) {
      return options.fieldSelector().requiredValue("metadata.namespace").orElse("");
    }
    return namespace;
  }

  private static String relative(Bytes prefix, Bytes key) {
    return new String(key.unsafeArray(), prefix.size(), key.size() - prefix.size(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The revision to read at: 0 (current) unless the request pins an exact or minimum one. */
  static long requestedRevision(ListOptions options, Store store) {
    String rv = options.resourceVersion();
    if (rv.isEmpty() || rv.equals("0")) {
      if (options.resourceVersionMatch().equals("Exact")) {
        throw StatusError.badRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
      }
      return 0;
    }
    long wanted;
    try {
      wanted = Long.parseLong(rv);
    } catch (NumberFormatException e) {
      throw StatusError.badRequest("invalid resource version: " + rv);
    }
    waitFor(wanted, store);
    return options.resourceVersionMatch().equals("Exact") ? wanted : 0;
  }

  /** Waits briefly for the store to reach {@code wanted}; 504 as upstream when it does not. */
  static void waitFor(long wanted, Store store) {
    long deadline = System.nanoTime() + FUTURE_RV_WAIT.toNanos();
    while (store.currentRevision() < wanted) {
      if (System.nanoTime() > deadline) {
        throw new StatusError(504, "Timeout",
            "Too large resource version: %d, current: %d".formatted(wanted, store.currentRevision()), null);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FutureRevisionException(wanted, store.currentRevision());
      }
    }
  }
}
