package dev.skiff.kubelet.server.spdy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one SPDY/3.1 session, as the streams of {@code kubectl port-forward} use it
 * (upstream: moby/spdystream under apimachinery's httpstream/spdy). Frames: SYN_STREAM opens a
 * stream (answered with SYN_REPLY by {@link SpdyStream#reply()}), DATA carries bytes (FIN ends a
 * direction), RST_STREAM resets a stream, PING is echoed, GOAWAY ends the session; SETTINGS,
 * WINDOW_UPDATE and HEADERS are read and ignored (as spdystream does, no flow-control window is
 * enforced). Header blocks are zlib streams primed with {@link SpdyDictionary}, one per direction
 * for the whole session.
 *
 * <p>{@link #run()} reads frames until the input ends; each new stream is handed to the stream
 * handler on the reading thread, which must not block. Writes are serialised.
 */
public final class SpdyConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SpdyConnection.class);
  private static final int VERSION = 3;
  static final int SYN_STREAM = 1;
  static final int SYN_REPLY = 2;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int HEADERS = 8;
  static final int WINDOW_UPDATE = 9;
  static final int FLAG_FIN = 0x01;
  /** RST_STREAM status CANCEL. */
  static final int CANCEL = 5;
  private static final int MAX_DATA = 32 * 1024;

  /** Where frames go: one call per frame. */
  public interface FrameSink {
    void write(byte[] frame) throws IOException;
  }

  private final DataInputStream in;
  private final FrameSink out;
  private final Consumer<SpdyStream> onStream;
  private final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();
  private final Inflater inflater = new Inflater();
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
  private volatile boolean closed;
  /** The next id of a stream this side opens (odd: this side is the client when it opens streams). */
  private int nextStreamId = 1;

  public SpdyConnection(InputStream in, FrameSink out, Consumer<SpdyStream> onStream) {
    this.in = new DataInputStream(Objects.requireNonNull(in, "in"));
    this.out = Objects.requireNonNull(out, "out");
    this.onStream = Objects.requireNonNull(onStream, "onStream");
    deflater.setDictionary(SpdyDictionary.bytes());
  }

  /** Reads and dispatches frames until the input ends or the session fails; then resets every stream. */
  public void run() {
    try {
      while (!closed) {
        int first = in.readInt();
        int second = in.readInt();
        int flags = second >>> 24;
        int length = second & 0xFFFFFF;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if ((first & 0x80000000) == 0) {
          SpdyStream s = streams.get(first & 0x7FFFFFFF);
          if (s != null) {
            s.deliver(payload, (flags & FLAG_FIN) != 0);
          }
        } else {
          control((first >>> 16) & 0x7FFF, first & 0xFFFF, flags, ByteBuffer.wrap(payload));
        }
      }
    } catch (EOFException e) {
      LOG.debug("SPDY session ended");
    } catch (IOException | DataFormatException | RuntimeException e) {
      LOG.debug("SPDY session failed: {}", e.toString());
    } finally {
      close();
    }
  }

  private void control(int version, int type, int flags, ByteBuffer p) throws IOException, DataFormatException {
    if (version != VERSION) {
      throw new IOException("unsupported SPDY version " + version);
    }
    switch (type) {
      case SYN_STREAM -> {
        int id = p.getInt() & 0x7FFFFFFF;
        p.getInt(); // associated stream
        p.getShort(); // priority and slot
        Map<String, String> headers = decodeHeaders(p);
        SpdyStream s = new SpdyStream(this, id, headers);
        streams.put(id, s);
        if ((flags & FLAG_FIN) != 0) {
          s.deliver(new byte[0], true);
        }
        onStream.accept(s);
      }
      case SYN_REPLY, HEADERS -> {
        p.getInt();
        decodeHeaders(p); // keeps the inflater in step
      }
      case RST_STREAM -> {
        SpdyStream s = streams.remove(p.getInt() & 0x7FFFFFFF);
        if (s != null) {
          s.deliver(new byte[0], true);
        }
      }
      case PING -> writeControl(PING, 0, new byte[] {p.get(0), p.get(1), p.get(2), p.get(3)});
      case GOAWAY -> closed = true;
      default -> {
        // SETTINGS, WINDOW_UPDATE, NOOP and unknown types carry nothing this side needs
      }
    }
  }

  private Map<String, String> decodeHeaders(ByteBuffer p) throws DataFormatException, IOException {
    byte[] compressed = new byte[p.remaining()];
    p.get(compressed);
    inflater.setInput(compressed);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (true) {
      int n = inflater.inflate(buf);
      if (n == 0) {
        if (inflater.needsDictionary()) {
          inflater.setDictionary(SpdyDictionary.bytes());
          continue;
        }
        if (inflater.needsInput() || inflater.finished()) {
          break;
        }
      }
      raw.write(buf, 0, n);
    }
    ByteBuffer b = ByteBuffer.wrap(raw.toByteArray());
    Map<String, String> headers = new LinkedHashMap<>();
    int pairs = b.getInt();
    for (int i = 0; i < pairs; i++) {
      String name = string(b);
      String value = string(b);
      headers.put(name.toLowerCase(Locale.ROOT), value);
    }
    return headers;
  }

  private static String string(ByteBuffer b) throws IOException {
    int len = b.getInt();
    if (len < 0 || len > b.remaining()) {
      throw new IOException("malformed SPDY header block");
    }
    byte[] s = new byte[len];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private synchronized byte[] encodeHeaders(Map<String, String> headers) {
    ByteBuffer raw = ByteBuffer.allocate(4 + headers.entrySet().stream()
        .mapToInt(e -> 8 + e.getKey().length() * 3 + e.getValue().length() * 3).sum());
    raw.putInt(headers.size());
    for (var e : headers.entrySet()) {
      byte[] k = e.getKey().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      raw.putInt(k.length).put(k).putInt(v.length).put(v);
    }
    deflater.setInput(raw.array(), 0, raw.position());
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    do {
      n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
      compressed.write(buf, 0, n);
    } while (n == buf.length);
    return compressed.toByteArray();
  }

  /**
   * Opens a stream from this side (SYN_STREAM with {@code headers}); the peer's data for it is
   * handed to {@code onData} on the reading thread, in frame order, and an empty array marks its FIN.
   */
  public SpdyStream openStream(Map<String, String> headers, Consumer<byte[]> onData) throws IOException {
    synchronized (this) {
      int id = nextStreamId;
      nextStreamId += 2;
      SpdyStream s = new SpdyStream(this, id, headers, onData);
      streams.put(id, s);
      byte[] block = encodeHeaders(headers);
      ByteBuffer p = ByteBuffer.allocate(10 + block.length).putInt(id).putInt(0).putShort((short) 0).put(block);
      writeControl(SYN_STREAM, 0, p.array());
      return s;
    }
  }

  /** SYN_REPLY for {@code id}, without headers. */
  void writeReply(int id) throws IOException {
    synchronized (this) {
      byte[] block = encodeHeaders(Map.of());
      ByteBuffer p = ByteBuffer.allocate(4 + block.length).putInt(id & 0x7FFFFFFF).put(block);
      writeControl(SYN_REPLY, 0, p.array());
    }
  }

  void writeReset(int id, int status) throws IOException {
    streams.remove(id);
    writeControl(RST_STREAM, 0, ByteBuffer.allocate(8).putInt(id & 0x7FFFFFFF).putInt(status).array());
  }

  /** DATA frames for {@code id}, split to at most {@link #MAX_DATA} bytes each; {@code fin} on the last. */
  void writeData(int id, byte[] data, int off, int len, boolean fin) throws IOException {
    do {
      int n = Math.min(len, MAX_DATA);
      boolean last = n == len;
      ByteBuffer f = ByteBuffer.allocate(8 + n).putInt(id & 0x7FFFFFFF)
          .putInt(((last && fin ? FLAG_FIN : 0) << 24) | n).put(data, off, n);
      write(f.array());
      off += n;
      len -= n;
    } while (len > 0);
  }

  private void writeControl(int type, int flags, byte[] payload) throws IOException {
    ByteBuffer f = ByteBuffer.allocate(8 + payload.length)
        .putInt(0x80000000 | (VERSION << 16) | type).putInt((flags << 24) | payload.length).put(payload);
    write(f.array());
  }

  private synchronized void write(byte[] frame) throws IOException {
    if (closed) {
      throw new IOException("SPDY session closed");
    }
    out.write(frame);
  }

  void forget(int id) {
    streams.remove(id);
  }

  /** Ends the session: every open stream sees the end of its input. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (SpdyStream s : streams.values()) {
      s.deliver(new byte[0], true);
    }
    streams.clear();
  }
}
