package dev.skiff.kubelet.cri;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to a CRI runtime's Unix domain socket (containerd's {@code containerd.sock}),
 * and the two CRI services on it.
 *
 * <p>Opening does not connect: the channel connects on the first call. The connection owns one
 * netty epoll event-loop thread; {@link #close()} stops it. Thread-safe: the services may be used
 * from any number of threads at once.
 */
public final class CriConnection implements AutoCloseable {

  /** CRI list answers (ListContainers on a busy node) outgrow gRPC's 4 MiB default; upstream uses 16 MiB. */
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Path socket;
  private final EventLoopGroup eventLoop;
  private final ManagedChannel channel;
  private final RuntimeService runtime;
  private final ImageService images;

  private CriConnection(Path socket, Duration callTimeout) {
    this.socket = socket;
    this.eventLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .eventLoopGroup(eventLoop)
        .channelType(EpollDomainSocketChannel.class)
        .usePlaintext()
        // gRPC asks every transport for TCP keep-alive; a Unix socket has none (netty would warn)
        .withOption(ChannelOption.SO_KEEPALIVE, null)
        // the authority is meaningless on a Unix socket; a plain host name keeps HTTP/2 happy
        .overrideAuthority("localhost")
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .build();
    this.runtime = new RuntimeService(channel, callTimeout);
    this.images = new ImageService(channel, callTimeout);
  }

  /**
   * Opens a connection to the CRI socket at {@code socket}.
   *
   * @param callTimeout the deadline of each call that does not take its own (RunPodSandbox and
   *     image calls may take long: give them room)
   */
  public static CriConnection open(Path socket, Duration callTimeout) {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(callTimeout, "callTimeout");
    return new CriConnection(socket, callTimeout);
  }

  /** The socket this connection talks to. */
  public Path socket() {
    return socket;
  }

  /** The CRI RuntimeService: sandboxes and containers. */
  public RuntimeService runtime() {
    return runtime;
  }

  /** The CRI ImageService. */
  public ImageService images() {
    return images;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
