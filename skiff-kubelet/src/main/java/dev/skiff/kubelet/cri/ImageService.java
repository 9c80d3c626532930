package dev.skiff.kubelet.cri;

import dev.skiff.kubelet.cri.v1.Image;
import dev.skiff.kubelet.cri.v1.ImageServiceGrpc;
import dev.skiff.kubelet.cri.v1.ImageSpec;
import dev.skiff.kubelet.cri.v1.ImageStatusRequest;
import dev.skiff.kubelet.cri.v1.ListImagesRequest;
import dev.skiff.kubelet.cri.v1.RemoveImageRequest;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The CRI ImageService with records in and out. Pulling is left out on purpose: Skiff's nodes get
 * images by import (see {@code dev.skiff.kubelet.image.ImageImporter}); a pull would need a
 * registry. Thread-safe.
 */
public final class ImageService {

  private final ImageServiceGrpc.ImageServiceBlockingStub stub;
  private final Duration callTimeout;

  ImageService(Channel channel, Duration callTimeout) {
    this.stub = ImageServiceGrpc.newBlockingStub(channel);
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  private ImageServiceGrpc.ImageServiceBlockingStub stub() {
    return stub.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Every image the runtime holds in its CRI namespace. */
  public List<ImageInfo> listImages() {
    return CriCall.run("ListImages", () -> stub().listImages(ListImagesRequest.getDefaultInstance()))
        .getImagesList().stream().map(ImageService::info).toList();
  }

  /** The image that {@code reference} (tag, digest or ID) names, or empty when the runtime lacks it. */
  public Optional<ImageInfo> imageStatus(String reference) {
    var request = ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(reference)).build();
    var response = CriCall.run("ImageStatus", () -> stub().imageStatus(request));
    return response.hasImage() ? Optional.of(info(response.getImage())) : Optional.empty();
  }

  /** Removes the image; idempotent. */
  public void removeImage(String reference) {
    var request = RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(reference)).build();
    CriCall.run("RemoveImage", () -> stub().removeImage(request));
  }

  private static ImageInfo info(Image image) {
    return new ImageInfo(image.getId(), image.getRepoTagsList(), image.getRepoDigestsList(), image.getSize());
  }
}
