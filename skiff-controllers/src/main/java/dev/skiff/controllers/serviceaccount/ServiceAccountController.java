package dev.skiff.controllers.serviceaccount;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.EnqueueRelatedKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's serviceaccount controller: every active namespace has a ServiceAccount
 * {@code default}, created with the namespace and re-created when deleted. The queue holds
 * namespaces ({@code ObjectKey("", namespace)}); a deleted {@code default} account queues its
 * namespace. Tokens are not this controller's job.
 */
public final class ServiceAccountController implements Controller, Reconciler {
  public static final String NAME = "serviceaccount-controller";
  static final String DEFAULT = "default";
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountController.class);

  private final KubernetesClient client;
  private final int workers;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ServiceAccount> accounts;
  private final ControllerLoop<ObjectKey> loop;

  public ServiceAccountController(ControllerContext ctx) {
    this.client = ctx.client();
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.namespaces = ctx.informers().informer(Namespace.class);
    this.accounts = ctx.informers().informer(ServiceAccount.class);
    namespaces.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    accounts.addEventHandler(EnqueueRelatedKey.<ServiceAccount>onDelete(sa -> DEFAULT.equals(sa.getMetadata().getName())
        ? Optional.of(new ObjectKey("", sa.getMetadata().getNamespace())) : Optional.empty(), loop::enqueue));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    loop.start(workers);
  }

  @Override
  public Result reconcile(ObjectKey key) {
    String namespace = key.name();
    Namespace ns = namespaces.getStore().getByKey(namespace);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null
        || accounts.getStore().getByKey(namespace + "/" + DEFAULT) != null) {
      return Result.done();
    }
    ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName(DEFAULT).withNamespace(namespace)
        .endMetadata().build();
    try {
      client.serviceAccounts().inNamespace(namespace).resource(sa).create();
      LOG.debug("created serviceaccount {}/{}", namespace, DEFAULT);
    } catch (KubernetesClientException e) {
      // 409: the cache was behind; 403/404: the namespace is terminating or gone, as upstream ignores
      if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) {
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
