package dev.skiff.storage.etcd;

import dev.skiff.storage.WatchRequest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tells by reads whether a watched range changed between two revisions, so that a watch can
 * check etcd 3.4's progress answers before trusting them (see {@link EtcdWatch}).
 *
 * <p>One read-only transaction counts, at {@code to}, the keys of the range and those of them
 * modified after {@code from}, and counts the range at {@code from}. No key modified and equal
 * counts means no put and no delete in {@code (from, to]} — except a key both created and deleted
 * inside the window, which leaves no trace in any count. Stateless and thread-safe.
 */
final class QuietRangeCheck {
  private final KV kv;
  private final ByteSequence key;
  private final WatchRequest request;

  QuietRangeCheck(KV kv, WatchRequest request) {
    this.kv = kv;
    this.request = request;
    this.key = EtcdCodec.watchKey(request);
  }

  /**
   * Completes with true when the range (as far as counts show) did not change in
   * {@code (from, to]}; with false when it did or cannot be told (for example {@code from} was
   * compacted). Never blocks.
   */
  CompletableFuture<Boolean> nothingBetween(long from, long to) {
    List<Op> reads = new ArrayList<>();
    reads.add(Op.get(key, countAt(to).build()));
    reads.add(Op.get(key, countAt(to).withMinModRevision(from + 1).build()));
    if (from > 0) {
      // revision 0 would mean "now" to etcd; at 0 the store held nothing
      reads.add(Op.get(key, countAt(from).build()));
    }
    try {
      return kv.txn()
          .Then(reads.toArray(Op[]::new))
          .commit()
          .thenApply(
              response -> {
                List<GetResponse> counts = response.getGetResponses();
                long atTo = counts.get(0).getCount();
                long changedSinceFrom = counts.get(1).getCount();
                long atFrom = from > 0 ? counts.get(2).getCount() : 0;
                return changedSinceFrom == 0 && atTo == atFrom;
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private GetOption.Builder countAt(long revision) {
    GetOption.Builder options = GetOption.builder().withRevision(revision).withCountOnly(true);
    if (!request.isSingleKey()) {
      options.withRange(EtcdCodec.rangeEnd(request.end()));
    }
    return options;
  }
}
