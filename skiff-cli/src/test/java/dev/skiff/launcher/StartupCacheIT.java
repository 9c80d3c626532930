package dev.skiff.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/skiff's start-up cache, against the packaged jar (run by failsafe after {@code package}): the training run
 * exits 0 and writes the JDK AOT cache, later starts use it without training again, a failed preparation starts
 * without it, and the JVM refuses the cache for a different jar. {@code SKIFF_PRINT_JAVA=1} makes bin/skiff print
 * its java command instead of starting the server. In its own package (the launcher, not {@code dev.skiff.cli}), so
 * {@code -Dtest=dev.skiff.cli.**} runs of the unit tests, before a jar exists, do not pick it up.
 */
class StartupCacheIT {
  private static final Path HOME = Path.of(System.getProperty("skiff.home", "..")).toAbsolutePath().normalize();
  private static final Path JAR = HOME.resolve("skiff-cli/target/skiff.jar");

  @TempDir Path dir;

  private record Run(int exitCode, List<String> command, String err) {}

  private static Run binSkiffServer(Map<String, String> env) throws IOException, InterruptedException {
    Path err = Files.createTempFile("skiff-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(HOME.resolve("bin/skiff").toString(), "server", "--disable-agent")
        .redirectError(err.toFile());
    pb.environment().put("SKIFF_PRINT_JAVA", "1");
    pb.environment().remove("SKIFF_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    List<String> command = new String(p.getInputStream().readAllBytes()).lines().toList();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("bin/skiff did not finish in 10 minutes");
    }
    String errText = Files.readString(err);
    Files.delete(err);
    return new Run(p.exitValue(), command, errText);
  }

  @Test
  void theTrainingRunWritesTheCacheOnceAndLaterStartsMapIt() throws Exception {
    Path cache = dir.resolve("server.aot");

    Run first = binSkiffServer(Map.of("SKIFF_STARTUP_CACHE", cache.toString()));

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("preparing a start-up cache");
    assertThat(Files.size(cache)).as(Files.readString(Path.of(cache + ".log"))).isGreaterThan(1_000_000);
    assertThat(Files.readString(Path.of(cache + ".log"))).contains("training run done");
    assertThat(first.command()).contains("-XX:AOTCache=" + cache).contains("-jar", "server", "--disable-agent");
    var written = Files.getLastModifiedTime(cache);

    Run second = binSkiffServer(Map.of("SKIFF_STARTUP_CACHE", cache.toString()));

    assertThat(second.exitCode()).isZero();
    assertThat(second.err()).doesNotContain("preparing");
    assertThat(second.command()).contains("-XX:AOTCache=" + cache);
    assertThat(Files.getLastModifiedTime(cache)).isEqualTo(written);

    // the JVM maps the cache for this jar, and refuses it (running without) for any other jar
    assertThat(javaVersion(second.command(), JAR)).contains("source: shared objects file");
    Path other = dir.resolve("other.jar");
    Files.copy(JAR, other, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    String refused = javaVersion(second.command(), other);
    assertThat(refused).contains("skiff ").doesNotContain("source: shared objects file");
  }

  @Test
  void whenTheCacheCannotBePreparedTheServerStartsWithoutIt() throws Exception {
    Path cache = dir.resolve("server.aot");

    Run run = binSkiffServer(Map.of("SKIFF_STARTUP_CACHE", cache.toString(),
        "TMPDIR", dir.resolve("missing").toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.command()).noneMatch(arg -> arg.startsWith("-XX:AOTCache")).contains("-jar");
    assertThat(cache).doesNotExist();
  }

  /** {@code skiff --version} under bin/skiff's JVM options with {@code jar}, logging where classes come from. */
  private static String javaVersion(List<String> command, Path jar) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(command.subList(0, command.indexOf("-jar")));
    c.removeIf(arg -> arg.startsWith("-Xlog"));
    c.addAll(List.of("-Xlog:class+load=info", "-jar", jar.toString(), "--version"));
    Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
