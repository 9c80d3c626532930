package dev.skiff.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

  private static Service service(String name, String ip) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withClusterIP(ip)
        .addNewPort().withName("http-main").withPort(80).withProtocol("TCP").endPort()
        .addNewPort().withPort(53).withProtocol("UDP").endPort().endSpec().build();
  }

  @Test
  void servicesGiveUpstreamsVariables() {
    var env = ServiceEnvironment.of(List.of(service("my-web", "10.43.0.20"), service("headless", "None"),
        new ServiceBuilder().withNewMetadata().withName("kubernetes").endMetadata().withNewSpec()
            .withClusterIP("10.43.0.1").addNewPort().withName("https").withPort(443).endPort().endSpec().build()));
    assertThat(env).containsEntry("MY_WEB_SERVICE_HOST", "10.43.0.20")
        .containsEntry("MY_WEB_SERVICE_PORT", "80")
        .containsEntry("MY_WEB_SERVICE_PORT_HTTP_MAIN", "80")
        .containsEntry("MY_WEB_PORT", "tcp://10.43.0.20:80")
        .containsEntry("MY_WEB_PORT_80_TCP", "tcp://10.43.0.20:80")
        .containsEntry("MY_WEB_PORT_80_TCP_PROTO", "tcp")
        .containsEntry("MY_WEB_PORT_80_TCP_PORT", "80")
        .containsEntry("MY_WEB_PORT_80_TCP_ADDR", "10.43.0.20")
        .containsEntry("MY_WEB_PORT_53_UDP", "udp://10.43.0.20:53")
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.43.0.1")
        .containsEntry("KUBERNETES_SERVICE_PORT", "443")
        .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443")
        .containsEntry("KUBERNETES_PORT", "tcp://10.43.0.1:443");
    assertThat(env.keySet()).noneMatch(k -> k.startsWith("HEADLESS"));
  }
}
