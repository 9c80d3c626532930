package dev.skiff.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.skiff.kubelet.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OciLayoutWriterTest {

  @TempDir
  Path tmp;

  @Test
  void busyboxLayoutIsAConsistentOciLayoutWithOneSharedLayer() throws Exception {
    var images = BusyboxImages.debian();
    assertThat(images.applets()).contains("sh", "httpd", "sleep", "wget").doesNotContain("busybox");
    assertThat(images.busyboxReference()).matches("docker\\.io/skiff/busybox:\\d+\\.\\d+");
    assertThat(images.pauseReference()).matches("docker\\.io/skiff/pause:\\d+\\.\\d+");

    Path archive = tmp.resolve("images.tar");
    images.writeLayout(archive);
    Path layout = Files.createDirectory(tmp.resolve("layout"));
    HostCommand.of("tar", "-xf", archive.toString(), "-C", layout.toString()).output();

    assertThat(Files.readString(layout.resolve("oci-layout"))).contains("\"imageLayoutVersion\":\"1.0.0\"");
    JsonObject index = json(layout.resolve("index.json"));
    var manifests = index.getAsJsonArray("manifests");
    assertThat(manifests).hasSize(2);
    List<String> names = manifests.asList().stream()
        .map(m -> m.getAsJsonObject().getAsJsonObject("annotations").get("io.containerd.image.name").getAsString())
        .toList();
    assertThat(names).containsExactly(images.busyboxReference(), images.pauseReference());

    String sharedLayer = null;
    for (var entry : manifests) {
      JsonObject manifest = blob(layout, entry.getAsJsonObject());
      assertThat(manifest.get("mediaType").getAsString()).isEqualTo(OciLayoutWriter.MANIFEST_TYPE);
      JsonObject config = blob(layout, manifest.getAsJsonObject("config"));
      var layers = manifest.getAsJsonArray("layers");
      assertThat(layers).hasSize(1);
      String layer = layers.get(0).getAsJsonObject().get("digest").getAsString();
      blobBytes(layout, layers.get(0).getAsJsonObject());
      assertThat(config.getAsJsonObject("rootfs").getAsJsonArray("diff_ids").get(0).getAsString()).isEqualTo(layer);
      assertThat(config.get("os").getAsString()).isEqualTo("linux");
      if (sharedLayer != null) {
        assertThat(layer).isEqualTo(sharedLayer);
      }
      sharedLayer = layer;
    }
    try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
      assertThat(blobs).hasSize(5); // one layer, two configs, two manifests
    }

    // the layer holds busybox and a working applet link
    Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    Path layerFile = layout.resolve("blobs/sha256").resolve(sharedLayer.substring("sha256:".length()));
    HostCommand.of("tar", "-xf", layerFile.toString(), "-C", rootfs.toString()).output();
    assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
    assertThat(HostCommand.of(rootfs.resolve("bin/sh").toString(), "-c", "echo works").output()).isEqualTo("works\n");
  }

  @ParameterizedTest
  @CsvSource({
      "docker.io/skiff/busybox:1.35, 1.35",
      "docker.io/skiff/busybox, latest",
      "localhost:5000/app, latest",
      "localhost:5000/app:v2, v2",
      "docker.io/skiff/app@sha256:abc, sha256:abc"})
  void tagOfReference(String reference, String tag) {
    assertThat(OciLayoutWriter.tagOf(reference)).isEqualTo(tag);
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  private static JsonObject blob(Path layout, JsonObject descriptor) throws Exception {
    return JsonParser.parseString(new String(blobBytes(layout, descriptor))).getAsJsonObject();
  }

  /** Reads the blob a descriptor points to and checks its size and digest. */
  private static byte[] blobBytes(Path layout, JsonObject descriptor) throws Exception {
    String digest = descriptor.get("digest").getAsString();
    byte[] bytes = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    assertThat(bytes).hasSize(descriptor.get("size").getAsInt());
    assertThat(OciLayoutWriter.digest(bytes)).isEqualTo(digest);
    return bytes;
  }
}
