package dev.skiff.apiserver;

import dev.skiff.apiserver.admission.Admission;
import dev.skiff.apiserver.admission.LimitRangeAdmission;
import dev.skiff.apiserver.admission.ResourceQuotaAdmission;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.authn.Authenticator;
import dev.skiff.apiserver.authn.ClientCertificateAuthenticator;
import dev.skiff.apiserver.authn.TokenFileAuthenticator;
import dev.skiff.apiserver.authn.UnionAuthenticator;
import dev.skiff.apiserver.http.ServiceAccountHandler;
import dev.skiff.apiserver.pki.ServiceAccountSigningKey;
import dev.skiff.apiserver.serviceaccount.ClusterObjects;
import dev.skiff.apiserver.serviceaccount.IssuerDiscovery;
import dev.skiff.apiserver.serviceaccount.LegacyServiceAccountTokenAuthenticator;
import dev.skiff.apiserver.serviceaccount.ServiceAccountTokenAuthenticator;
import dev.skiff.apiserver.serviceaccount.ServiceAccountTokens;
import dev.skiff.apiserver.serviceaccount.TokenRequests;
import dev.skiff.apiserver.authz.AllowAuthenticated;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceRegistry;
import dev.skiff.apiserver.health.HealthChecks;
import dev.skiff.apiserver.http.ApiHandler;
import dev.skiff.apiserver.http.HttpsServer;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.pki.ClusterPki;
import dev.skiff.apiserver.proxy.KubeletClient;
import dev.skiff.apiserver.proxy.PodStreamProxy;
import dev.skiff.apiserver.pki.Credential;
import dev.skiff.apiserver.pki.Kubeconfig;
import dev.skiff.apiserver.registry.BuiltInResources;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.NamespaceLifecycle;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.ObjectLookup;
import dev.skiff.apiserver.registry.cache.WatchCaches;
import dev.skiff.apiserver.registry.apiextensions.CustomResourceDefinitionStrategy;
import dev.skiff.apiserver.registry.apiextensions.CustomResourceDefinitions;
import dev.skiff.apiserver.registry.core.CoreResources;
import dev.skiff.apiserver.registry.core.NamespaceStrategy;
import dev.skiff.apiserver.registry.scheduling.PriorityClassStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skiff's Kubernetes API server: HTTPS on the configured address, the cluster PKI and admin
 * kubeconfig under the data dir, the built-in resources over the given {@code Store}.
 *
 * <p>Use: {@code try (ApiServer s = new ApiServer(config)) { s.start(); ... }}. {@link #start()}
 * returns once the server answers; {@code /readyz} is ok from then on. {@link #close()} stops
 * serving (ending open watches) but leaves the store open: its owner closes it.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  /** The audiences the API accepts in service account tokens: the issuer, as upstream's default. */
  private static final List<String> API_AUDIENCES = List.of(ServiceAccountTokens.ISSUER);

  private final ApiServerConfig config;
  private Server jetty;
  private ApiHandler handler;
  private CustomResourceDefinitions customResources;
  private WatchCaches watchCaches;
  private volatile boolean ready;
  private volatile boolean shuttingDown;
  private int port;

  public ApiServer(ApiServerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Creates or loads the PKI, creates the system namespaces, starts serving and writes
   * {@code DATA_DIR/kubeconfig.yaml}.
   *
   * @throws IllegalStateException if already started
   */
  public synchronized void start() throws Exception {
    if (jetty != null) {
      throw new IllegalStateException("already started");
    }
    Files.createDirectories(config.dataDir());
    // before anything starts: a bad --advertise-address fails the start at once
    String advertise = AdvertiseAddress.resolve(config.advertiseAddress(), config.bindAddress());
    ClusterPki pki = ClusterPki.loadOrCreate(config.dataDir(), config.bindAddress());
    List<X509Certificate> clientCas = new ArrayList<>(List.of(pki.ca().credential().certificate()));
    if (config.clientCaFile() != null) {
      clientCas.addAll(Credential.readCertificates(Files.readString(config.clientCaFile())));
    }
    List<Authenticator> authenticators = new ArrayList<>(List.of(new ClientCertificateAuthenticator(clientCas)));
    if (config.tokenAuthFile() != null) {
      authenticators.add(TokenFileAuthenticator.read(config.tokenAuthFile()));
    }

    InstantSource clock = InstantSource.system();
    NamespaceLifecycle lifecycle = new NamespaceLifecycle(config.store());
    watchCaches = new WatchCaches(config.store(), WatchCaches.Settings.defaults(config.watchBookmarkInterval()));
    // -Dskiff.watchCache=off serves lists and watches from the store, for comparisons (benchmarks)
    WatchCaches caches = "off".equals(System.getProperty("skiff.watchCache")) ? null : watchCaches;
    Map<ResourceDefinition, GenericStore> stores = new LinkedHashMap<>();
    Admission admission = Admission.chain(
        List.of(new LimitRangeAdmission(stores), new ResourceQuotaAdmission(stores, clock)));
    ObjectLookup lookup = new ObjectLookup(config.store(), caches);
    for (ResourceStrategy s : BuiltInResources.strategies(config.store(), config.admission(), lookup)) {
      stores.put(s.definition(), new GenericStore(config.store(), s, lifecycle, clock, caches, admission));
    }
    CustomResourceDefinitionStrategy crdStrategy = new CustomResourceDefinitionStrategy(clock);
    GenericStore crdStore = new GenericStore(config.store(), crdStrategy, lifecycle, clock, caches);
    stores.put(crdStrategy.definition(), crdStore);
    ResourceRegistry registry = new ResourceRegistry(List.copyOf(stores.keySet()));
    ApiHandler.reviewResources().forEach(registry::register);
    // Custom resources join and leave this map while serving: it must be safe to read concurrently.
    Map<ResourceDefinition, GenericStore> liveStores = new ConcurrentHashMap<>(stores);
    customResources = new CustomResourceDefinitions(crdStore, registry, liveStores, lifecycle, clock);
    customResources.start();
    ServiceAccountTokens saTokens = new ServiceAccountTokens(
        ServiceAccountSigningKey.loadOrCreate(config.dataDir().resolve("tls")), clock);
    ClusterObjects clusterObjects = ClusterObjects.of(stores, lookup);
    authenticators.add(new ServiceAccountTokenAuthenticator(saTokens, clusterObjects, API_AUDIENCES));
    authenticators.add(new LegacyServiceAccountTokenAuthenticator(saTokens.key(), clusterObjects));
    createSystemNamespaces(stores);
    createKubernetesService(stores);
    createSystemPriorityClasses(stores);

    HealthChecks health = new HealthChecks(
        List.of(new HealthChecks.Check("ping", () -> null), new HealthChecks.Check("log", () -> null),
            new HealthChecks.Check("etcd", this::storeHealth),
            new HealthChecks.Check("poststarthook/bootstrap-namespaces", () -> null)),
        List.of(new HealthChecks.Check("informer-sync", () -> null),
            new HealthChecks.Check("shutdown", () -> shuttingDown ? "shutting down" : null),
            new HealthChecks.Check("ready", () -> ready ? null : "not ready")));
    String host = advertisedHost();
    jetty = HttpsServer.create(config.bindAddress(), config.port(), pki.serving(), clientCas);
    ServerWebSocketContainer webSockets = ServerWebSocketContainer.ensure(jetty);
    // Watches may be idle for long; they end by their own timeout, not the socket's.
    webSockets.setIdleTimeout(java.time.Duration.ofHours(1));
    handler = ApiHandler.create(new UnionAuthenticator(authenticators), new AllowAuthenticated(), registry, health,
        liveStores, clock, config.watchBookmarkInterval(), host + ":" + config.port(), webSockets,
        KubeletClient.loadOrCreate(config.dataDir().resolve("tls"), pki.ca()),
        PodStreamProxy.DEFAULT_ADDRESS_PREFERENCE, config.localNode())
        .withServiceAccounts(new ServiceAccountHandler(
            new TokenRequests(saTokens, clusterObjects, API_AUDIENCES, clock), new IssuerDiscovery(saTokens.key())));
    jetty.setHandler(handler);
    jetty.start();
    port = ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
    publishKubernetesEndpoints(stores, advertise);
    Kubeconfig.write(kubeconfig(), "https://" + hostForUrl(host) + ":" + port, pki.ca().credential(), pki.admin());
    ready = true;
    LOG.info("API server listening on https://{}:{}", config.bindAddress(), port);
  }

  private String storeHealth() {
    try {
      config.store().currentRevision();
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  private static void createSystemNamespaces(Map<ResourceDefinition, GenericStore> stores) {
    GenericStore namespaces = stores.values().stream()
        .filter(s -> s.strategy() instanceof NamespaceStrategy).findFirst().orElseThrow();
    for (String name : CoreResources.SYSTEM_NAMESPACES) {
      try {
        namespaces.get("", name);
      } catch (StatusError notFound) {
        var ns = Json.object();
        ns.putObject("metadata").put("name", name);
        try {
          namespaces.create("", ns, false);
        } catch (StatusError e) {
          if (e.code() != 409) {
            throw e;
          }
        }
      }
    }
  }

  /** The built-in PriorityClasses, as upstream's scheduling post-start hook creates them. */
  private static void createSystemPriorityClasses(Map<ResourceDefinition, GenericStore> stores) {
    GenericStore classes = stores.values().stream()
        .filter(s -> s.strategy() instanceof PriorityClassStrategy).findFirst().orElseThrow();
    for (String name : PriorityClassStrategy.SYSTEM_CLASSES.keySet()) {
      try {
        classes.create("", PriorityClassStrategy.systemClass(name), false);
      } catch (StatusError e) {
        if (e.code() != 409) {
          throw e;
        }
      }
    }
  }

  /**
   * The {@code default/kubernetes} Service at the first service IP, as upstream's controller keeps
   * it. Its Endpoints will point at an address pods can reach once the node agent exists.
   */
  private void createKubernetesService(Map<ResourceDefinition, GenericStore> stores) {
    GenericStore services = stores.values().stream()
        .filter(s -> s.definition().plural().equals("services")).findFirst().orElseThrow();
    try {
      services.get("default", "kubernetes");
      return;
    } catch (StatusError notFound) {
      // create it below
    }
    var svc = Json.object();
    svc.putObject("metadata").put("name", "kubernetes").putObject("labels")
        .put("component", "apiserver").put("provider", "kubernetes");
    var spec = svc.putObject("spec").put("clusterIP", ClusterPki.KUBERNETES_SERVICE_IP);
    spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP")
        .put("targetPort", config.port() == 0 ? 6443 : config.port());
    try {
      services.create("default", svc, false);
    } catch (StatusError e) {
      if (e.code() != 409) {
        throw e;
      }
    }
  }

  /**
   * The {@code default/kubernetes} Endpoints and EndpointSlice at the advertised address and the
   * port now served, brought up to date at every start (upstream's master endpoints reconciler).
   */
  private void publishKubernetesEndpoints(Map<ResourceDefinition, GenericStore> stores, String advertise) {
    GenericStore endpoints = stores.values().stream()
        .filter(s -> s.definition().group().isEmpty() && s.definition().plural().equals("endpoints")).findFirst().orElseThrow();
    GenericStore slices = stores.values().stream()
        .filter(s -> s.definition().plural().equals("endpointslices")).findFirst().orElseThrow();
    new dev.skiff.apiserver.registry.core.KubernetesServiceEndpoints(endpoints, slices)
        .reconcile(advertise, port);
    // the Service's targetPort follows the served port too, as upstream's master service controller keeps it
    GenericStore services = stores.values().stream()
        .filter(s -> s.definition().plural().equals("services")).findFirst().orElseThrow();
    JsonNode https = services.get("default", "kubernetes").path("spec").path("ports").path(0);
    if (https.path("targetPort").asInt(-1) != port) {
      services.guaranteedUpdate("default", "kubernetes", "", false, svc -> {
        ((tools.jackson.databind.node.ObjectNode) svc.path("spec").path("ports").path(0)).put("targetPort", port);
        return svc;
      });
    }
  }

  private String advertisedHost() {
    try {
      InetAddress bind = InetAddress.getByName(config.bindAddress());
      return bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The port the server listens on (the chosen one when configured with 0). */
  public int port() {
    if (jetty == null) {
      throw new IllegalStateException("not started");
    }
    return port;
  }

  /** {@code DATA_DIR/kubeconfig.yaml}: the admin kubeconfig. */
  public Path kubeconfig() {
    return config.dataDir().resolve("kubeconfig.yaml");
  }

  @Override
  public synchronized void close() {
    shuttingDown = true;
    if (jetty == null) {
      return;
    }
    handler.endWatches();
    customResources.close();
    watchCaches.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("error stopping the HTTPS server: {}", e.toString());
    }
    jetty = null;
  }
}
