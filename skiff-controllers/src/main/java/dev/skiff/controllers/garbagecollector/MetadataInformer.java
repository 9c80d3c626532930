package dev.skiff.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.fabric8.kubernetes.api.model.PartialObjectMetadataList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list and watch of one resource's metadata only (upstream's metadata informer, which the
 * garbage collector uses): the server sends each object as a {@code PartialObjectMetadata}
 * ({@code Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1} on the list,
 * {@code as=PartialObjectMetadata} on the watch), so neither the wire nor this process carries the
 * objects' specs. fabric8 has metadata lists but no metadata watch, hence this loop.
 *
 * <p>One virtual thread lists (in pages), then watches from the list's resourceVersion, resuming
 * from the last version seen when a watch ends, and lists again on {@code 410 Gone} or any failure
 * (after a second's pause), telling the handler of objects that vanished meanwhile as deletes. It
 * keeps only each object's uid and resourceVersion, to tell adds from updates and to find those
 * deletes; the handler gets the {@link PartialObjectMetadata}, with the resource's kind and
 * apiVersion filled in. Handler calls come from that one thread, in order.
 *
 * <p>{@link #close} stops the thread and the open watch.
 */
final class MetadataInformer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataInformer.class);
  static final String ACCEPT_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
  static final String ACCEPT_WATCH = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
  private static final int PAGE = 500;
  private static final int WATCH_SECONDS = 300;
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  private static final TypeReference<Map<String, Object>> FRAME = new TypeReference<>() {};

  private final HttpClient http;
  private final String collectionUrl;
  private final KubernetesSerialization serialization;
  private final ServedResource resource;
  private final ResourceEventHandler<? super PartialObjectMetadata> handler;
  private final CompletableFuture<Void> synced = new CompletableFuture<>();
  /** uid to resourceVersion of every object seen; touched only by the loop thread. */
  private final Map<String, String> versions = new HashMap<>();
  private volatile boolean running = true;
  private volatile InputStream openWatch;
  private Thread loop;

  MetadataInformer(KubernetesClient client, ServedResource resource,
      ResourceEventHandler<? super PartialObjectMetadata> handler) {
    this.http = client.getHttpClient();
    this.collectionUrl = client.getMasterUrl().toString().replaceAll("/+$", "") + resource.collectionPath();
    this.serialization = client.getKubernetesSerialization();
    this.resource = Objects.requireNonNull(resource, "resource");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Starts the loop; the future completes once the first list has been handed to the handler. */
  synchronized CompletableFuture<Void> start() {
    if (loop == null) {
      loop = Thread.ofVirtual().name("gc-metadata-" + resource.plural()).start(this::run);
    }
    return synced;
  }

  private void run() {
    while (running) {
      try {
        String rv = relist();
        synced.complete(null);
        while (running && rv != null) {
          rv = watch(rv);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (running) {
          LOG.debug("metadata informer of {} failed, listing again: {}", resource.plural(), e.toString());
        }
      }
      try {
        Thread.sleep(RETRY_AFTER);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Lists every object (in pages), tells the handler of each and of those gone; returns the list's version. */
  private String relist() throws Exception {
    Set<String> listed = new HashSet<>();
    String next = "";
    String rv;
    do {
      String url = collectionUrl + "?limit=" + PAGE + (next.isEmpty() ? "" : "&continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      HttpResponse<String> response = http.sendAsync(http.newHttpRequestBuilder().uri(url).setHeader("Accept", ACCEPT_LIST).build(),
          String.class).get(60, TimeUnit.SECONDS);
      if (!response.isSuccessful()) {
        throw new IOException("list of " + resource.plural() + " failed: " + response.code() + " " + response.body());
      }
      PartialObjectMetadataList page = serialization.unmarshal(response.body(), PartialObjectMetadataList.class);
      for (PartialObjectMetadata item : page.getItems()) {
        listed.add(item.getMetadata().getUid());
        upsert(item);
      }
      rv = page.getMetadata().getResourceVersion();
      next = page.getMetadata().getContinue() == null ? "" : page.getMetadata().getContinue();
    } while (!next.isEmpty() && running);
    for (String uid : Set.copyOf(versions.keySet())) {
      if (!listed.contains(uid)) {
        versions.remove(uid);
        handler.onDelete(gone(uid), true);
      }
    }
    return rv;
  }

  /**
   * Watches from {@code rv} until the server ends the watch; returns the version to resume from, or
   * null when the history is gone (410) and a fresh list is needed.
   */
  private String watch(String rv) throws Exception {
    String url = collectionUrl + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=" + WATCH_SECONDS
        + "&resourceVersion=" + URLEncoder.encode(rv, StandardCharsets.UTF_8);
    HttpResponse<InputStream> response = http.sendAsync(http.newHttpRequestBuilder().uri(url).setHeader("Accept", ACCEPT_WATCH)
        .forStreaming().build(), InputStream.class).get(60, TimeUnit.SECONDS);
    if (response.code() == 410) {
      response.body().close();
      return null;
    }
    if (!response.isSuccessful()) {
      response.body().close();
      throw new IOException("watch of " + resource.plural() + " failed: " + response.code());
    }
    String last = rv;
    try (InputStream in = response.body();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      openWatch = in;
      String line;
      while (running && (line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        // parsed by hand: fabric8's WatchEvent would not type the object as a PartialObjectMetadata
        Map<String, Object> event = serialization.unmarshal(line, FRAME);
        String type = String.valueOf(event.get("type"));
        if (type.equals("ERROR")) {
          Status status = serialization.convertValue(event.get("object"), Status.class);
          if (status.getCode() != null && status.getCode() == 410) {
            return null;
          }
          throw new IOException("watch of " + resource.plural() + " failed: " + status.getMessage());
        }
        PartialObjectMetadata meta = serialization.convertValue(event.get("object"), PartialObjectMetadata.class);
        if (meta == null || meta.getMetadata() == null) {
          continue;
        }
        String version = meta.getMetadata().getResourceVersion();
        switch (type) {
          case "ADDED", "MODIFIED" -> upsert(meta);
          case "DELETED" -> {
            versions.remove(meta.getMetadata().getUid());
            handler.onDelete(withKind(meta), false);
          }
          default -> { } // BOOKMARK: only its version counts
        }
        if (version != null && !version.isEmpty()) {
          last = version;
        }
      }
    } finally {
      openWatch = null;
    }
    return last;
  }

  private void upsert(PartialObjectMetadata item) {
    String uid = item.getMetadata().getUid();
    String before = versions.put(uid, item.getMetadata().getResourceVersion());
    if (before == null) {
      handler.onAdd(withKind(item));
    } else if (!before.equals(item.getMetadata().getResourceVersion())) {
      handler.onUpdate(null, withKind(item));
    }
  }

  private PartialObjectMetadata withKind(PartialObjectMetadata item) {
    item.setKind(resource.kind());
    item.setApiVersion(resource.apiVersion());
    return item;
  }

  /** What a delete noticed only by its absence from a list carries: the uid. */
  private PartialObjectMetadata gone(String uid) {
    PartialObjectMetadata m = new PartialObjectMetadata();
    m.setMetadata(new ObjectMeta());
    m.getMetadata().setUid(uid);
    return withKind(m);
  }

  @Override
  public void close() {
    running = false;
    Thread t;
    synchronized (this) {
      t = loop;
    }
    InputStream in = openWatch;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        LOG.debug("closing the watch of {}: {}", resource.plural(), e.toString());
      }
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
