package dev.skiff.storage.etcd;

import static dev.skiff.storage.etcd.EtcdCodec.ZERO;
import static dev.skiff.storage.etcd.EtcdCodec.toEtcd;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import dev.skiff.storage.WriteResult;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} kept in a real etcd cluster, through jetcd.
 *
 * <p>Reads are linearizable ranges. Each write is one etcd transaction whose condition is the
 * store's precondition: a create is {@code if createRevision(key) == 0 then put else get}; an
 * update or delete is {@code if the key exists and modRevision(key) == expected then put/delete
 * else get}, so a failed condition returns the key's current version in the same round trip.
 * etcd acknowledges a write only once a quorum has it in its log, which is this store's
 * durability.
 *
 * <p>A write whose outcome is unknown (the connection broke after sending it) fails with a
 * {@link StoreException}; it may or may not have happened, and the caller finds out by reading.
 * jetcd is told not to retry writes by itself, since a retried create could report
 * {@link WriteResult.AlreadyExists} for its own earlier success.
 *
 * <p>Watches: see {@link EtcdWatch}. They share one scheduler thread for periodic progress.
 *
 * <p>Thread-safe.
 */
public final class EtcdStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdStore.class);

  /** How long one request may take before the store gives up on it. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final String COMPACTED = "required revision has been compacted";
  private static final String FUTURE = "required revision is a future revision";
  private static final Duration COMPACT_REVISION_LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  private final Client client;
  private final KV kv;
  private final Duration requestTimeout;
  private final ScheduledExecutorService scheduler;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  EtcdStore(Client client, Duration requestTimeout) {
    this.client = client;
    this.kv = client.getKVClient();
    this.requestTimeout = requestTimeout;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("etcd-watch-progress").daemon().factory());
  }

  /** Connects to the etcd cluster at {@code endpoints} (any members; jetcd balances). */
  public static EtcdStore connect(List<URI> endpoints) {
    return connect(endpoints, DEFAULT_REQUEST_TIMEOUT);
  }

  public static EtcdStore connect(List<URI> endpoints, Duration requestTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one etcd endpoint is needed");
    }
    Client client =
        Client.builder()
            .endpoints(endpoints.toArray(URI[]::new))
            // a list may be far larger than gRPC's 4 MiB default; etcd's own send limit is 2 GiB
            .maxInboundMessageSize(Integer.MAX_VALUE)
            .connectTimeout(Duration.ofSeconds(5))
            .keepaliveTime(Duration.ofSeconds(10))
            .keepaliveTimeout(Duration.ofSeconds(5))
            .build();
    return new EtcdStore(client, requestTimeout);
  }

  @Override
  public RangeResult range(RangeRequest request) {
    GetOption.Builder options =
        GetOption.builder()
            .withRevision(request.revision())
            .withLimit(request.limit())
            .withCountOnly(request.countOnly());
    ByteSequence key;
    if (request.isSingleKey()) {
      key = toEtcd(request.key());
    } else {
      key = EtcdCodec.startKey(request.key());
      options.withRange(EtcdCodec.rangeEnd(request.end()));
    }
    GetResponse response;
    try {
      response = await(kv.get(key, options.build()));
    } catch (EtcdFailure failure) {
      throw revisionError(failure, request.revision());
    }
    List<KeyValue> kvs = response.getKvs().stream().map(EtcdCodec::keyValue).toList();
    long revision = request.revision() != 0 ? request.revision() : response.getHeader().getRevision();
    return new RangeResult(kvs, revision, response.isMore(), response.getCount());
  }

  @Override
  public WriteResult create(Bytes key, Bytes value) {
    Store.checkWrite(key, value);
    ByteSequence k = toEtcd(key);
    TxnResponse response =
        await(
            kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, toEtcd(value), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
    long revision = response.getHeader().getRevision();
    if (response.isSucceeded()) {
      return new WriteResult.Written(
          revision, new KeyValue(key, value, revision, revision, 1), Optional.empty());
    }
    return new WriteResult.AlreadyExists(revision, current(response, key));
  }

  @Override
  public WriteResult update(Bytes key, Bytes value, long expectedModRevision) {
    Store.checkWrite(key, value);
    ByteSequence k = toEtcd(key);
    TxnResponse response =
        await(
            kv.txn()
                .If(exists(k), new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.put(k, toEtcd(value), PutOption.builder().withPrevKV().build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
    long revision = response.getHeader().getRevision();
    if (!response.isSucceeded()) {
      return failedCondition(response, revision);
    }
    KeyValue prev = EtcdCodec.keyValue(response.getPutResponses().getFirst().getPrevKv());
    KeyValue written =
        new KeyValue(key, value, prev.createRevision(), revision, prev.version() + 1);
    return new WriteResult.Written(revision, written, Optional.of(prev));
  }

  @Override
  public WriteResult delete(Bytes key, long expectedModRevision) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    ByteSequence k = toEtcd(key);
    TxnResponse response =
        await(
            kv.txn()
                .If(exists(k), new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
    long revision = response.getHeader().getRevision();
    if (!response.isSucceeded()) {
      return failedCondition(response, revision);
    }
    KeyValue prev = EtcdCodec.keyValue(response.getDeleteResponses().getFirst().getPrevKvs().getFirst());
    return new WriteResult.Written(
        revision, new KeyValue(key, Bytes.EMPTY, 0, revision, 0), Optional.of(prev));
  }

  /**
   * "The key exists": without it, an expected mod revision of 0 would match a missing key and an
   * update would create it.
   */
  private static Cmp exists(ByteSequence key) {
    return new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0));
  }

  private static WriteResult failedCondition(TxnResponse response, long revision) {
    List<io.etcd.jetcd.KeyValue> found = response.getGetResponses().getFirst().getKvs();
    if (found.isEmpty()) {
      return new WriteResult.NotFound(revision);
    }
    return new WriteResult.RevisionMismatch(revision, EtcdCodec.keyValue(found.getFirst()));
  }

  private static KeyValue current(TxnResponse response, Bytes key) {
    List<io.etcd.jetcd.KeyValue> found = response.getGetResponses().getFirst().getKvs();
    if (found.isEmpty()) {
      // impossible: the transaction saw the key and read it atomically
      throw new StoreException("etcd reported " + key + " as existing but returned no value");
    }
    return EtcdCodec.keyValue(found.getFirst());
  }

  @Override
  public long currentRevision() {
    // a count of one key is the cheapest linearizable read; its header carries the revision
    return await(kv.get(ZERO, GetOption.builder().withCountOnly(true).build()))
        .getHeader()
        .getRevision();
  }

  @Override
  public void compact(long revision) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be >= 0, got " + revision);
    }
    if (revision == 0) {
      return;
    }
    try {
      await(kv.compact(revision));
    } catch (EtcdFailure failure) {
      if (failure.getMessage().contains(COMPACTED)) {
        return; // at or below the compact revision: nothing to do
      }
      if (failure.getMessage().contains(FUTURE)) {
        throw new FutureRevisionException(revision, currentRevision());
      }
      throw failure;
    }
  }

  @Override
  public Watch watch(WatchRequest request) {
    checkOpen();
    EtcdWatch watch;
    try {
      watch = new EtcdWatch(fromNextWrite(request), this, scheduler);
    } catch (StoreException e) {
      watch = new EtcdWatch(request, this, scheduler);
      watch.end(new WatchResponse.Ended(WatchResponse.Reason.FAILED, 0, e.getMessage()));
      return watch;
    }
    watches.add(watch);
    if (closed.get()) {
      // close() ran between checkOpen and add and may have missed this watch
      watch.end(new WatchResponse.Ended(WatchResponse.Reason.FAILED, 0, "the store is closed"));
      return watch;
    }
    watch.start(client.getWatchClient(), watchOption(watch.request()));
    return watch;
  }

  /**
   * Pins a start revision of 0 ("from the next write on") to the current revision + 1. etcd
   * creates a watch asynchronously and would start it at its own later "now", missing writes
   * acknowledged after {@code watch} returned but before etcd got the request.
   */
  private WatchRequest fromNextWrite(WatchRequest request) {
    if (request.startRevision() != 0) {
      return request;
    }
    return new WatchRequest(
        request.key(),
        request.end(),
        currentRevision() + 1,
        request.prevKv(),
        request.progressInterval(),
        request.maxPendingEvents());
  }

  private static WatchOption watchOption(WatchRequest request) {
    WatchOption.Builder options =
        WatchOption.builder()
            .withRevision(request.startRevision())
            .withPrevKV(request.prevKv())
            .withCreateNotify(true)
            // a member cut off from its leader ends the watch instead of going silent
            .withRequireLeader(true);
    if (!request.isSingleKey()) {
      options.withRange(EtcdCodec.rangeEnd(request.end()));
    }
    return options.build();
  }

  /** Called by a watch once it has ended, whatever the reason. */
  void forget(EtcdWatch watch) {
    watches.remove(watch);
  }

  /** The KV client, for a watch's checks before it reports progress. */
  KV kv() {
    return kv;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (EtcdWatch watch : List.copyOf(watches)) {
      watch.end(new WatchResponse.Ended(WatchResponse.Reason.FAILED, 0, "the store was closed"));
    }
    scheduler.shutdownNow();
    client.close();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreException("the etcd store is closed");
    }
  }

  /**
   * Maps etcd's revision errors for a read at {@code revision} to the store's exceptions; other
   * failures pass through.
   */
  private StoreException revisionError(EtcdFailure failure, long revision) {
    if (failure.getMessage().contains(COMPACTED)) {
      return new CompactedException(revision, compactRevision(revision));
    }
    if (failure.getMessage().contains(FUTURE)) {
      return new FutureRevisionException(revision, currentRevision());
    }
    return failure;
  }

  /**
   * etcd's compact revision. No read reports it; a watch from a compacted revision is cancelled
   * with it, so one is opened and cancelled here. Only the error path pays for this.
   */
  private long compactRevision(long compactedRevision) {
    CompletableFuture<Long> found = new CompletableFuture<>();
    io.etcd.jetcd.Watch.Listener listener =
        io.etcd.jetcd.Watch.listener(
            response -> {},
            error -> {
              if (error instanceof io.etcd.jetcd.common.exception.CompactedException c) {
                found.complete(c.getCompactedRevision());
              } else {
                found.completeExceptionally(error);
              }
            });
    WatchOption fromCompacted =
        WatchOption.builder().withRevision(Math.max(1, compactedRevision)).build();
    io.etcd.jetcd.Watch.Watcher watcher =
        client.getWatchClient().watch(ZERO, fromCompacted, listener);
    try {
      return found.get(COMPACT_REVISION_LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("could not learn etcd's compact revision after a compacted read at {}", compactedRevision, e);
      // the best bound known: the requested revision is below the compact revision
      return compactedRevision + 1;
    } finally {
      watcher.close();
    }
  }

  private <T> T await(CompletableFuture<T> future) {
    checkOpen();
    try {
      return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for etcd", e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new StoreException("etcd did not answer within " + requestTimeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new EtcdFailure(String.valueOf(cause.getMessage()), cause);
    }
  }
}
