package dev.skiff.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PodAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "10.42.0.0/16, 24, 0, 10.42.0.0/24",
            "10.42.0.0/16, 24, 255, 10.42.255.0/24",
            "10.42.0.0/16, 26, 5, 10.42.1.64/26",
            "10.42.7.9/16, 24, 3, 10.42.3.0/24"})
    void nodeCidrsAreCutInOrder(String cluster, int mask, long index, String expected) {
        assertThat(Ipv4Range.parse(cluster).subnet(mask, index)).hasToString(expected);
    }

    @Test
    void aRangeHoldsOnlySoManyNodeCidrs() {
        Ipv4Range cluster = Ipv4Range.parse("10.42.0.0/16");
        assertThat(cluster.subnets(24)).isEqualTo(256);
        assertThatThrownBy(() -> cluster.subnet(24, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cluster.offsetOf("10.42.1.2")).isEqualTo(258);
        assertThat(cluster.offsetOf("10.43.0.1")).isEqualTo(-1);
    }

    @Test
    void addressesSkipNetworkGatewayAndBroadcastAndAreStablePerPod() {
        PodAddresses ips = new PodAddresses(Ipv4Range.parse("10.42.3.0/29")); // .2 .. .6 usable
        assertThat(ips.allocate("a")).contains("10.42.3.2");
        assertThat(ips.allocate("a")).as("same pod, same address").contains("10.42.3.2");
        assertThat(ips.allocate("b")).contains("10.42.3.3");
        ips.restore("restored", "10.42.3.4");
        assertThat(ips.allocate("c")).contains("10.42.3.5");
        assertThat(ips.allocate("d")).contains("10.42.3.6");
        assertThat(ips.allocate("e")).as("full").isEmpty();
        ips.release("b");
        assertThat(ips.allocate("e")).contains("10.42.3.3");
    }

    @ParameterizedTest
    @CsvSource({
            "nginx, docker.io/library/nginx:latest",
            "nginx:1.27, docker.io/library/nginx:1.27",
            "bitnami/redis, docker.io/bitnami/redis:latest",
            "registry.k8s.io/pause:3.10, registry.k8s.io/pause:3.10",
            "localhost:5000/app, localhost:5000/app:latest"})
    void imagesAreNormalisedAsContainerdReportsThem(String image, String expected) {
        assertThat(PodStatuses.normalizedImage(image)).isEqualTo(expected);
    }
}
