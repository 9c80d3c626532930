package dev.skiff.storage.etcd;

import com.google.protobuf.UnsafeByteOperations;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.WatchRequest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.watch.WatchEvent;
import java.util.Optional;

/**
 * Translates between Skiff's storage types and jetcd's, and between Skiff's key ranges and
 * etcd's {@code key}/{@code range_end} encoding.
 */
final class EtcdCodec {
  /**
   * etcd's "\0": as a key, the smallest non-empty key; as a range end, "every key from the start
   * key on".
   */
  static final ByteSequence ZERO = ByteSequence.from(new byte[] {0});

  private EtcdCodec() {}

  /** Hands the bytes to protobuf without a copy; {@link Bytes} is immutable. */
  static ByteSequence toEtcd(Bytes bytes) {
    return ByteSequence.from(UnsafeByteOperations.unsafeWrap(bytes.unsafeArray()));
  }

  static Bytes fromEtcd(ByteSequence bytes) {
    return Bytes.wrap(bytes.getBytes());
  }

  static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
    return new KeyValue(
        fromEtcd(kv.getKey()),
        fromEtcd(kv.getValue()),
        kv.getCreateRevision(),
        kv.getModRevision(),
        kv.getVersion());
  }

  /** jetcd reports an absent previous version as an empty key-value. */
  static Optional<KeyValue> optionalKeyValue(io.etcd.jetcd.KeyValue kv) {
    if (kv == null || kv.getKey().isEmpty() || kv.getCreateRevision() == 0) {
      return Optional.empty();
    }
    return Optional.of(keyValue(kv));
  }

  static Event event(WatchEvent event) {
    Event.Type type =
        switch (event.getEventType()) {
          case PUT -> Event.Type.PUT;
          case DELETE -> Event.Type.DELETE;
          case UNRECOGNIZED ->
              throw new IllegalStateException("etcd sent an event of unknown type: " + event);
        };
    return new Event(type, keyValue(event.getKeyValue()), optionalKeyValue(event.getPrevKV()));
  }

  /** The start key for a range or watch beginning at {@code key}. */
  static ByteSequence startKey(Bytes key) {
    // etcd rejects an empty key; no key sorts below "\0", so the range is the same
    return key.isEmpty() ? ZERO : toEtcd(key);
  }

  /** The key etcd is asked to watch (or count) for {@code request}'s range. */
  static ByteSequence watchKey(WatchRequest request) {
    return request.isSingleKey() ? toEtcd(request.key()) : startKey(request.key());
  }

  /**
   * etcd's range end for Skiff's {@code [key, end)} that is not a single key: an empty end means
   * "to the end of the keyspace", which etcd spells "\0".
   */
  static ByteSequence rangeEnd(Bytes end) {
    return end.isEmpty() ? ZERO : toEtcd(end);
  }
}
