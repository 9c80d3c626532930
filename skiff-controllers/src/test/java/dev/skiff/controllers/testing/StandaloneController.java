package dev.skiff.controllers.testing;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.informers.SharedInformerFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.Function;

/**
 * One controller run outside the manager, with its own informers and an injected clock, so a
 * test can move time instead of waiting for it.
 */
public final class StandaloneController<C extends Controller> implements AutoCloseable {
  private final SharedInformerFactory informerFactory;
  private final SharedInformers informers;
  public final C controller;

  public StandaloneController(KubernetesClient client, InstantSource clock, Function<ControllerContext, C> factory)
      throws Exception {
    informerFactory = new SharedInformerFactory(client);
    informers = new SharedInformers(informerFactory.scope());
    var defaults = ControllerManagerConfig.defaults("standalone");
    var config = new ControllerManagerConfig(Set.of(), 2, false, defaults.identity(), defaults.leaseDuration(),
        defaults.renewDeadline(), defaults.retryPeriod());
    controller = factory.apply(new ControllerContext(client, informers, clock, config));
    informers.start(Duration.ofSeconds(30));
    controller.start();
  }

  @Override
  public void close() {
    controller.close();
    informers.close();
    informerFactory.close();
  }
}
