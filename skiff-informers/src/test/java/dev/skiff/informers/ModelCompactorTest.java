package dev.skiff.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelCompactorTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** A pod as the API server returns it after admission, plus one field the model does not know. */
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"bench","uid":"u-1",
       "resourceVersion":"7","labels":{"app":"bench"},
       "managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
       "spec":{"containers":[{"name":"c","image":"busybox","x-unknown":{"kept":true},
         "resources":{"requests":{"cpu":"10m","memory":"16Mi"}},
         "volumeMounts":[{"name":"kube-api-access","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
        "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"}],
        "volumes":[{"name":"kube-api-access","projected":{"sources":[
          {"serviceAccountToken":{"path":"token","expirationSeconds":3607}},
          {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}}]}}]},
       "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False"}]}}""";

  @Test
  void emptyAdditionalPropertiesShareOneMapThroughoutTheTree() {
    Pod pod = ModelCompactor.compact(JSON.unmarshal(POD, Pod.class));

    Map<String, Object> shared = pod.getAdditionalProperties();
    Container c = pod.getSpec().getContainers().get(0);
    List<Map<String, Object>> empties = List.of(pod.getMetadata().getAdditionalProperties(),
        pod.getSpec().getAdditionalProperties(), c.getResources().getAdditionalProperties(),
        c.getResources().getRequests().get("cpu").getAdditionalProperties(),
        c.getVolumeMounts().get(0).getAdditionalProperties(),
        pod.getSpec().getTolerations().get(0).getAdditionalProperties(),
        pod.getSpec().getVolumes().get(0).getProjected().getSources().get(0).getServiceAccountToken()
            .getAdditionalProperties(),
        pod.getSpec().getVolumes().get(0).getProjected().getSources().get(1).getConfigMap().getItems().get(0)
            .getAdditionalProperties(),
        pod.getStatus().getConditions().get(0).getAdditionalProperties(),
        pod.getMetadata().getManagedFields().get(0).getAdditionalProperties());
    assertThat(shared).isEmpty();
    assertThat(empties).allSatisfy(m -> assertThat(m).isSameAs(shared));
    // what the model does not know is kept
    assertThat(c.getAdditionalProperties()).containsEntry("x-unknown", Map.of("kept", true));
  }

  /** A map that counts the views it hands out; HashMap keeps each view in a field for the map's lifetime. */
  private static final class ViewCountingMap<K, V> extends java.util.LinkedHashMap<K, V> {
    int views;

    @Override
    public Collection<V> values() {
      views++;
      return super.values();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
      views++;
      return super.entrySet();
    }

    @Override
    public Set<K> keySet() {
      views++;
      return super.keySet();
    }
  }

  @Test
  void theWalkLeavesNoViewsBehindInTheMapsItReads() {
    Pod pod = JSON.unmarshal(POD, Pod.class);
    ViewCountingMap<String, Quantity> requests = new ViewCountingMap<>();
    requests.putAll(pod.getSpec().getContainers().get(0).getResources().getRequests());
    pod.getSpec().getContainers().get(0).getResources().setRequests(requests);

    ModelCompactor.compact(pod);

    // the walk reached the map's values (their empty maps are shared) without keeping a view of it
    assertThat(requests.get("cpu").getAdditionalProperties()).isSameAs(pod.getAdditionalProperties());
    assertThat(requests.views).isZero();
  }

  @Test
  void emptyListFieldsShareOneImmutableListAndFilledOnesAreTrimmedButStayMutable() throws Exception {
    Pod pod = ModelCompactor.compact(JSON.unmarshal(POD, Pod.class));

    Container c = pod.getSpec().getContainers().get(0);
    // fields the JSON does not have: fabric8 made a fresh ArrayList for each
    List<List<?>> empties = List.of(pod.getMetadata().getFinalizers(), pod.getMetadata().getOwnerReferences(),
        pod.getSpec().getImagePullSecrets(), pod.getSpec().getInitContainers(), c.getEnv(), c.getPorts(),
        c.getArgs(), c.getCommand(), pod.getStatus().getContainerStatuses());
    assertThat(empties).allSatisfy(l -> assertThat(l).isSameAs(List.of()));
    // filled lists keep the decoded elements in a mutable list of exactly their size
    assertThat(c.getVolumeMounts()).isInstanceOf(java.util.ArrayList.class).hasSize(1);
    assertThat(capacity(c.getVolumeMounts())).isEqualTo(1);
    assertThat(capacity(pod.getSpec().getTolerations())).isEqualTo(1);
    assertThat(capacity(pod.getStatus().getConditions())).isEqualTo(1);
    // a shared empty list refuses writes: a component that edits a cached object fails instead of corrupting others
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pod.getMetadata().getFinalizers().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void repeatedStringsAreSharedAcrossObjectsButNamesAreNot() {
    Pod a = ModelCompactor.compact(JSON.unmarshal(POD, Pod.class));
    Pod b = ModelCompactor.compact(JSON.unmarshal(POD, Pod.class));

    Container ca = a.getSpec().getContainers().get(0);
    Container cb = b.getSpec().getContainers().get(0);
    assertThat(ca.getImage()).isEqualTo("busybox").isSameAs(cb.getImage());
    assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
    assertThat(a.getStatus().getConditions().get(0).getType()).isSameAs(b.getStatus().getConditions().get(0).getType());
    assertThat(ca.getResources().getRequests().get("cpu").getAmount())
        .isSameAs(cb.getResources().getRequests().get("cpu").getAmount());
    // map keys and values: labels, resource names
    assertThat(a.getMetadata().getLabels().keySet().iterator().next())
        .isSameAs(b.getMetadata().getLabels().keySet().iterator().next());
    assertThat(a.getMetadata().getLabels().get("app")).isSameAs(b.getMetadata().getLabels().get("app"));
    // an object's own identity is not interned
    assertThat(a.getMetadata().getName()).isEqualTo(b.getMetadata().getName()).isNotSameAs(b.getMetadata().getName());
    assertThat(a.getMetadata().getUid()).isNotSameAs(b.getMetadata().getUid());
  }

  @Test
  void filledMapsKeepTheirEntriesInOrderAndStayMutableEmptyOnesAreShared() {
    Pod pod = ModelCompactor.compact(JSON.unmarshal(POD, Pod.class));

    Map<String, Quantity> requests = pod.getSpec().getContainers().get(0).getResources().getRequests();
    assertThat(requests).isInstanceOf(java.util.LinkedHashMap.class).containsOnlyKeys("cpu", "memory");
    assertThat(List.copyOf(requests.keySet())).containsExactly("cpu", "memory");
    assertThat(requests.get("memory")).isEqualTo(new Quantity("16Mi"));
    requests.put("x", new Quantity("1")); // still a mutable map (a decoded one is)
    assertThat(requests).hasSize(3);
    // fields the JSON does not have: annotations, limits, node selector
    assertThat(pod.getMetadata().getAnnotations()).isSameAs(Map.of());
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits()).isSameAs(Map.of());
    assertThat(pod.getSpec().getNodeSelector()).isSameAs(Map.of());
  }

  /** The length of an ArrayList's backing array, its spare room included (the pom opens java.util to the tests). */
  private static int capacity(List<?> list) throws ReflectiveOperationException {
    var f = java.util.ArrayList.class.getDeclaredField("elementData");
    f.setAccessible(true);
    return ((Object[]) f.get(list)).length;
  }

  @Test
  void aCompactedPodEqualsAndEncodesAsTheDecodedOne() {
    Pod decoded = JSON.unmarshal(POD, Pod.class);
    Pod compacted = ModelCompactor.compact(JSON.unmarshal(POD, Pod.class));

    assertThat(compacted).isEqualTo(decoded).hasSameHashCodeAs(decoded);
    assertThat(JSON.asJson(compacted)).isEqualTo(JSON.asJson(decoded));
  }

  @Test
  void aBuilderCopyOfACompactedPodCanBeEdited() {
    Pod compacted = ModelCompactor.compact(JSON.unmarshal(POD, Pod.class));

    Pod copy = new PodBuilder(compacted).editSpec().addNewToleration().withKey("k").withOperator("Exists")
        .endToleration().addNewImagePullSecret("pull").endSpec().editMetadata().addToFinalizers("f").endMetadata()
        .build();
    copy.getSpec().getContainers().get(0).getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("E", "1", null));
    // as the deployment controller edits a copy of a cached ReplicaSet's (here empty) annotations
    copy.getMetadata().getAnnotations().put("a", "1");
    copy.getMetadata().getLabels().put("l", "2");
    copy.getSpec().setAdditionalProperty("added", 1);
    copy.getSpec().getTolerations().get(0).setAdditionalProperty("added", 2);

    assertThat(copy.getSpec().getAdditionalProperties()).containsEntry("added", 1);
    assertThat(compacted.getSpec().getAdditionalProperties()).isEmpty();
    assertThat(compacted.getSpec().getTolerations()).hasSize(1);
    assertThat(copy.getMetadata().getFinalizers()).containsExactly("f");
    assertThat(copy.getSpec().getImagePullSecrets()).hasSize(1);
    assertThat(compacted.getMetadata().getFinalizers()).isEmpty();
    assertThat(compacted.getSpec().getImagePullSecrets()).isEmpty();
    assertThat(compacted.getSpec().getContainers().get(0).getEnv()).isEmpty();
    assertThat(compacted.getMetadata().getAnnotations()).isEmpty();
    assertThat(compacted.getMetadata().getLabels()).containsOnlyKeys("app");
  }

  @Test
  void theInformerStoreTrimsAndCompacts() {
    TrimmedItemStore<Pod> store = new TrimmedItemStore<>();
    Pod pod = JSON.unmarshal(POD, Pod.class);

    store.put("bench/p", pod);

    Pod cached = store.get("bench/p");
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getSpec().getAdditionalProperties()).isSameAs(cached.getStatus().getAdditionalProperties());
    assertThat(cached.getSpec().getContainers().get(0).getAdditionalProperties()).containsKey("x-unknown");
  }
}
