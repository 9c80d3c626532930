package dev.skiff.kubelet.server;

import java.io.IOException;

/**
 * What happens to one WebSocket's messages. Called by {@link ServerSocketPeer}: {@link #opened}
 * once on a virtual thread of its own (it may block for the whole session), then {@link #received}
 * for each message in order, then {@link #closed} (possibly more than once).
 */
public interface MessageRelay {

  /** The socket is open; {@code client} sends to the client. */
  void opened(MessageSink client);

  /** A whole binary message from the client. */
  void received(byte[] message) throws IOException;

  /** The client's socket closed or failed. */
  void closed();
}
