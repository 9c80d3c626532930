package dev.skiff.controllers.serviceaccounttoken;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.rootcacertpublisher.RootCaCertPublisher;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's serviceaccount-token controller: fills Secrets of type
 * {@code kubernetes.io/service-account-token} that name an account in the annotation
 * {@code kubernetes.io/service-account.name} with {@code token} (a legacy token signed by
 * {@link LegacyTokenSigner}), {@code ca.crt} and {@code namespace}, and records the account's uid
 * in {@code kubernetes.io/service-account.uid}; deletes such a Secret when its account is gone or
 * was re-created with another uid. As in Kubernetes 1.32 it never creates token Secrets by itself.
 * Runs only when the manager was given the service account key file.
 */
public final class TokensController implements Controller, Reconciler {
  public static final String NAME = "serviceaccount-token-controller";
  static final String TYPE = "kubernetes.io/service-account-token";
  static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
  static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";
  private static final Logger LOG = LoggerFactory.getLogger(TokensController.class);

  private final KubernetesClient client;
  private final int workers;
  private final Optional<LegacyTokenSigner> signer;
  private final Optional<String> caPem;
  private final SharedIndexInformer<Secret> secrets;
  private final SharedIndexInformer<ServiceAccount> accounts;
  private final ControllerLoop<ObjectKey> loop;

  public TokensController(ControllerContext ctx) {
    this.client = ctx.client();
    this.workers = ctx.config().workers();
    this.signer = ctx.config().serviceAccountKeyFile().flatMap(TokensController::readSigner);
    this.caPem = RootCaCertPublisher.caOf(client.getConfiguration());
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.secrets = ctx.informers().informer(Secret.class);
    this.accounts = ctx.informers().informer(ServiceAccount.class);
    secrets.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Secret s) {
        enqueueIfToken(s);
      }

      @Override
      public void onUpdate(Secret old, Secret s) {
        enqueueIfToken(s);
      }

      @Override
      public void onDelete(Secret s, boolean unknown) {}
    });
    accounts.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ServiceAccount sa) {
        enqueueTokensOf(sa);
      }

      @Override
      public void onUpdate(ServiceAccount old, ServiceAccount sa) {}

      @Override
      public void onDelete(ServiceAccount sa, boolean unknown) {
        enqueueTokensOf(sa);
      }
    });
  }

  private static Optional<LegacyTokenSigner> readSigner(java.nio.file.Path keyFile) {
    try {
      return Optional.of(LegacyTokenSigner.fromKeyFile(keyFile));
    } catch (IOException e) {
      LOG.warn("{}: cannot read the service account key, token Secrets stay empty: {}", NAME, e.getMessage());
      return Optional.empty();
    }
  }

  private void enqueueIfToken(Secret s) {
    if (TYPE.equals(s.getType())) {
      loop.enqueue(ObjectKey.of(s));
    }
  }

  /** An account came or went: its token Secrets (found through the namespace index) are looked at again. */
  private void enqueueTokensOf(ServiceAccount sa) {
    String name = sa.getMetadata().getName();
    for (Secret s : secrets.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, sa.getMetadata().getNamespace())) {
      if (TYPE.equals(s.getType()) && name.equals(annotation(s, NAME_ANNOTATION))) {
        loop.enqueue(ObjectKey.of(s));
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    if (signer.isEmpty()) {
      LOG.info("{}: no service account key configured, token Secrets are not filled", NAME);
      return;
    }
    loop.start(workers);
  }

  @Override
  public Result reconcile(ObjectKey key) {
    Secret secret = secrets.getStore().getByKey(key.namespace() + "/" + key.name());
    if (secret == null || !TYPE.equals(secret.getType()) || secret.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    String accountName = annotation(secret, NAME_ANNOTATION);
    if (accountName == null || accountName.isEmpty()) {
      return Result.done(); // validation requires it; nothing to bind the token to
    }
    Optional<ServiceAccount> account = account(key.namespace(), accountName);
    String wantedUid = annotation(secret, UID_ANNOTATION);
    if (account.isEmpty() || (wantedUid != null && !wantedUid.isEmpty()
        && !wantedUid.equals(account.get().getMetadata().getUid()))) {
      deleteToken(secret);
      return Result.done();
    }
    if (!needsUpdate(secret, account.get())) {
      return Result.done();
    }
    try {
      client.secrets().inNamespace(key.namespace()).withName(key.name()).edit(live -> fill(live, account.get()));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e; // 409: retried with the newer copy
      }
    }
    return Result.done();
  }

  /** The account from the cache, or from the API when the cache has not seen it yet. */
  private Optional<ServiceAccount> account(String namespace, String name) {
    ServiceAccount cached = accounts.getStore().getByKey(namespace + "/" + name);
    if (cached != null) {
      return Optional.of(cached);
    }
    return Optional.ofNullable(client.serviceAccounts().inNamespace(namespace).withName(name).get());
  }

  private boolean needsUpdate(Secret secret, ServiceAccount account) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    return isEmpty(data.get("token")) || isEmpty(data.get("namespace"))
        || (caPem.isPresent() && !encode(caPem.get()).equals(data.get("ca.crt")))
        || !account.getMetadata().getUid().equals(annotation(secret, UID_ANNOTATION));
  }

  private Secret fill(Secret live, ServiceAccount account) {
    Map<String, String> data = live.getData() == null ? new HashMap<>() : new HashMap<>(live.getData());
    caPem.ifPresent(ca -> data.put("ca.crt", encode(ca)));
    if (isEmpty(data.get("namespace"))) {
      data.put("namespace", encode(live.getMetadata().getNamespace()));
    }
    if (isEmpty(data.get("token"))) {
      data.put("token", encode(signer.orElseThrow().sign(live.getMetadata().getNamespace(),
          account.getMetadata().getName(), account.getMetadata().getUid(), live.getMetadata().getName())));
    }
    live.setData(data);
    Map<String, String> annotations = live.getMetadata().getAnnotations() == null
        ? new HashMap<>() : new HashMap<>(live.getMetadata().getAnnotations());
    annotations.put(NAME_ANNOTATION, account.getMetadata().getName());
    annotations.put(UID_ANNOTATION, account.getMetadata().getUid());
    live.getMetadata().setAnnotations(annotations);
    return live;
  }

  private void deleteToken(Secret secret) {
    try {
      // only the copy we looked at: a Secret changed or re-created meanwhile is looked at again
      client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
          .lockResourceVersion(secret.getMetadata().getResourceVersion()).delete();
      LOG.debug("deleted token secret {}/{}: its service account is gone", secret.getMetadata().getNamespace(),
          secret.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static String annotation(Secret s, String name) {
    Map<String, String> annotations = s.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(Objects.requireNonNull(value).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    loop.close();
  }
}
