package dev.skiff.kubelet.server;

import java.io.IOException;

/** One end of a WebSocket that whole binary messages are sent to. */
public interface MessageSink {

  /** Sends one binary message; blocks until written. */
  void send(byte[] message) throws IOException;

  /** Closes the socket with a WebSocket close code; idempotent. */
  void close(int code, String reason);
}
