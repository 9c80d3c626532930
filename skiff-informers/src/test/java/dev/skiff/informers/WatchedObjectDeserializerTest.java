package dev.skiff.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class WatchedObjectDeserializerTest {
  final KubernetesSerialization fast = InformerSerialization.create();
  final KubernetesSerialization fabric8 = new KubernetesSerialization();

  static String event(String object) {
    return "{\"type\":\"MODIFIED\",\"object\":" + object + "}";
  }

  static final String POD = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\","
      + "\"labels\":{\"app\":\"web\"},\"resourceVersion\":\"7\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\","
      + "\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]},\"status\":{\"phase\":\"Running\"}}";

  @Test
  void typedObjectEqualsFabric8sDecode() {
    WatchEvent ours = fast.unmarshal(event(POD), WatchEvent.class);
    WatchEvent theirs = fabric8.unmarshal(event(POD), WatchEvent.class);
    assertThat(ours.getType()).isEqualTo("MODIFIED");
    assertThat(ours.getObject()).isInstanceOf(Pod.class).isEqualTo(theirs.getObject());
    Pod pod = (Pod) ours.getObject();
    assertThat(pod.getKind()).isEqualTo("Pod");
    assertThat(pod.getApiVersion()).isEqualTo("v1");
    assertThat(pod.getSpec().getContainers().getFirst().getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
  }

  @Test
  void otherFieldOrdersAndUnknownKindsStillDecode() {
    String reordered = "{\"metadata\":{\"name\":\"c\"},\"apiVersion\":\"v1\",\"data\":{\"k\":\"v\"},\"kind\":\"ConfigMap\"}";
    assertThat(fast.unmarshal(event(reordered), WatchEvent.class).getObject())
        .isInstanceOf(ConfigMap.class).isEqualTo(fabric8.unmarshal(event(reordered), WatchEvent.class).getObject());
    String kindOnly = "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"apiVersion\":\"v1\"}";
    assertThat(fast.unmarshal(event(kindOnly), WatchEvent.class).getObject()).isInstanceOf(ConfigMap.class);
    String custom = "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":3}}";
    Object widget = fast.unmarshal(event(custom), WatchEvent.class).getObject();
    assertThat(widget).isInstanceOf(GenericKubernetesResource.class)
        .isEqualTo(fabric8.unmarshal(event(custom), WatchEvent.class).getObject());
    String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":410,\"reason\":\"Expired\"}";
    assertThat(fast.unmarshal(event(status), WatchEvent.class).getObject())
        .isEqualTo(fabric8.unmarshal(event(status), WatchEvent.class).getObject());
    // what fabric8 refuses, this refuses too (through fabric8)
    String odd = "{\"kind\":7,\"apiVersion\":\"v1\"}";
    assertThatThrownBy(() -> fabric8.unmarshal(event(odd), WatchEvent.class)).isInstanceOf(KubernetesClientException.class);
    assertThatThrownBy(() -> fast.unmarshal(event(odd), WatchEvent.class)).isInstanceOf(KubernetesClientException.class);
  }
}
