package dev.skiff.controllers.rootcacertpublisher;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.EnqueueRelatedKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's root-ca-cert-publisher: a ConfigMap {@code kube-root-ca.crt} with key {@code ca.crt}
 * in every active namespace, holding the CA that verifies the API server (here: the CA of the
 * client's own configuration, the admin kubeconfig's {@code certificate-authority-data}).
 * Re-created when deleted, restored when edited. Without a CA in the configuration it does nothing.
 */
public final class RootCaCertPublisher implements Controller, Reconciler {
  public static final String NAME = "root-ca-cert-publisher";
  public static final String CONFIG_MAP = "kube-root-ca.crt";
  public static final String KEY = "ca.crt";
  private static final Logger LOG = LoggerFactory.getLogger(RootCaCertPublisher.class);

  private final KubernetesClient client;
  private final int workers;
  private final Optional<String> caPem;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ConfigMap> configMaps;
  private final ControllerLoop<ObjectKey> loop;

  public RootCaCertPublisher(ControllerContext ctx) {
    this.client = ctx.client();
    this.workers = ctx.config().workers();
    this.caPem = caOf(client.getConfiguration());
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.namespaces = ctx.informers().informer(Namespace.class);
    this.configMaps = ctx.informers().informer(ConfigMap.class);
    namespaces.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    configMaps.addEventHandler(EnqueueRelatedKey.<ConfigMap>onChangeOrDelete(cm -> CONFIG_MAP.equals(cm.getMetadata().getName())
        ? Optional.of(new ObjectKey("", cm.getMetadata().getNamespace())) : Optional.empty(), loop::enqueue));
  }

  /** The PEM CA of a client configuration (inline data or file), if it has one. */
  public static Optional<String> caOf(Config config) {
    try {
      if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
        return Optional.of(new String(Base64.getDecoder().decode(config.getCaCertData().trim()), StandardCharsets.UTF_8));
      }
      if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
        return Optional.of(Files.readString(Path.of(config.getCaCertFile())));
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("the client's CA cannot be read; {} publishes nothing: {}", CONFIG_MAP, e.toString());
    }
    return Optional.empty();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    if (caPem.isEmpty()) {
      LOG.info("{}: the client configuration holds no CA, nothing to publish", NAME);
      return;
    }
    loop.start(workers);
  }

  @Override
  public Result reconcile(ObjectKey key) {
    String namespace = key.name();
    Namespace ns = namespaces.getStore().getByKey(namespace);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    Map<String, String> data = Map.of(KEY, caPem.orElseThrow());
    ConfigMap current = configMaps.getStore().getByKey(namespace + "/" + CONFIG_MAP);
    try {
      if (current == null) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
            .withName(CONFIG_MAP).withNamespace(namespace).endMetadata().withData(data).build()).create();
      } else if (!data.equals(current.getData())) {
        client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).edit(cm -> {
          cm.setData(data);
          return cm;
        });
      }
    } catch (KubernetesClientException e) {
      // 403/404: the namespace is terminating or gone; a 409 is retried and then reads the newer copy
      if (e.getCode() != 403 && e.getCode() != 404) {
        throw e;
      }
    }
    return Result.done();
  }

  @Override
  public void close() {
    loop.close();
  }
}
