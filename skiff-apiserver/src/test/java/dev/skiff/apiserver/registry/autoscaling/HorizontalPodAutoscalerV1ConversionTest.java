package dev.skiff.apiserver.registry.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class HorizontalPodAutoscalerV1ConversionTest {
  private final HorizontalPodAutoscalerV1Conversion conversion = new HorizontalPodAutoscalerV1Conversion();

  private static ObjectNode json(String s) {
    return (ObjectNode) Json.parse(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void targetCpuBecomesAResourceMetricAndBack() {
    ObjectNode v1 = json("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},"
        + "'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web','apiVersion':'apps/v1'},'minReplicas':2,"
        + "'maxReplicas':5,'targetCPUUtilizationPercentage':70},'status':{'currentReplicas':2,'desiredReplicas':3,"
        + "'currentCPUUtilizationPercentage':55}}");
    ObjectNode v2 = conversion.toStorage(v1.deepCopy());
    assertThat(v2.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
    assertThat(v2.path("spec").path("metrics")).isEqualTo(json(
        "{'m':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]}").path("m"));
    assertThat(v2.path("status").path("currentMetrics").path(0).path("resource").path("current").path("averageUtilization").asInt())
        .isEqualTo(55);
    ObjectNode back = conversion.fromStorage(v2);
    assertThat(back.path("spec")).isEqualTo(v1.path("spec"));
    assertThat(back.path("status").path("currentCPUUtilizationPercentage").asInt()).isEqualTo(55);
    // the current metrics are kept in full as an annotation, as upstream does even for CPU
    assertThat(back.path("metadata").path("annotations").path(HorizontalPodAutoscalerV1Conversion.CURRENT_METRICS).asString())
        .contains("\"currentAverageUtilization\":55");
  }

  @Test
  void noMetricGetsTheImplicitEightyPercent() {
    ObjectNode v2 = conversion.toStorage(json("{'spec':{'scaleTargetRef':{'kind':'Deployment','name':'a'},'maxReplicas':3}}"));
    assertThat(v2.path("spec").path("metrics").path(0).path("resource").path("target").path("averageUtilization").asInt())
        .isEqualTo(80);
  }

  record Case(String name, String metric) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> v2OnlyMetrics() {
    return Stream.of(
        new Case("pods", "{'type':'Pods','pods':{'metric':{'name':'qps','selector':{'matchLabels':{'a':'b'}}},'target':{'type':'AverageValue','averageValue':'10'}}}"),
        new Case("memory", "{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'100Mi'}}}"),
        new Case("object", "{'type':'Object','object':{'describedObject':{'kind':'Service','name':'s','apiVersion':'v1'},'metric':{'name':'rps'},'target':{'type':'Value','value':'2k'}}}"),
        new Case("external", "{'type':'External','external':{'metric':{'name':'queue'},'target':{'type':'AverageValue','averageValue':'30'}}}"),
        new Case("container", "{'type':'ContainerResource','containerResource':{'name':'cpu','container':'app','target':{'type':'Utilization','averageUtilization':60}}}"));
  }

  @ParameterizedTest
  @MethodSource("v2OnlyMetrics")
  void v2OnlyMetricsTravelInTheAnnotation(Case c) {
    ObjectNode v2 = json("{'apiVersion':'autoscaling/v2','metadata':{'name':'x','annotations':{'keep':'me'}},"
        + "'spec':{'scaleTargetRef':{'kind':'Deployment','name':'a'},'maxReplicas':3,'metrics':[" + c.metric() + ","
        + "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':50}}}],"
        + "'behavior':{'scaleDown':{'stabilizationWindowSeconds':60,'policies':[{'type':'Pods','value':1,'periodSeconds':30}]}}}}");
    ObjectNode v1 = conversion.fromStorage(v2.deepCopy());
    JsonNode annotations = v1.path("metadata").path("annotations");
    assertThat(v1.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(50);
    assertThat(annotations.path("keep").asString()).isEqualTo("me");
    assertThat(annotations.path(HorizontalPodAutoscalerV1Conversion.METRICS).asString()).isNotEmpty();
    assertThat(annotations.path(HorizontalPodAutoscalerV1Conversion.BEHAVIOR).asString())
        .isEqualTo("{\"ScaleUp\":null,\"ScaleDown\":{\"StabilizationWindowSeconds\":60,\"SelectPolicy\":null,"
            + "\"Policies\":[{\"Type\":\"Pods\",\"Value\":1,\"PeriodSeconds\":30}]}}");
    ObjectNode again = conversion.toStorage(v1);
    assertThat(again.path("spec")).isEqualTo(v2.path("spec"));
    assertThat(again.path("metadata").path("annotations")).isEqualTo(json("{'keep':'me'}"));
  }

  @Test
  void conditionsAndStatusRoundTrip() {
    ObjectNode v2 = json("{'metadata':{'name':'x'},'spec':{'scaleTargetRef':{'kind':'Deployment','name':'a'},'maxReplicas':3,"
        + "'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':80}}}]},"
        + "'status':{'currentReplicas':1,'desiredReplicas':2,'currentMetrics':[{'type':'Resource','resource':{'name':'cpu',"
        + "'current':{'averageValue':'120m','averageUtilization':90}}}],'conditions':[{'type':'AbleToScale','status':'True',"
        + "'lastTransitionTime':'2026-11-27T05:00:00Z','reason':'Ready','message':'ok'}]}}");
    ObjectNode v1 = conversion.fromStorage(v2.deepCopy());
    assertThat(v1.path("status").path("currentCPUUtilizationPercentage").asInt()).isEqualTo(90);
    assertThat(v1.path("metadata").path("annotations").path(HorizontalPodAutoscalerV1Conversion.CONDITIONS).asString())
        .contains("AbleToScale");
    assertThat(conversion.toStorage(v1).path("status")).isEqualTo(v2.path("status"));
  }

  @Test
  void annotationsThatDoNotParseAreIgnored() {
    ObjectNode v2 = conversion.toStorage(json("{'metadata':{'annotations':{'" + HorizontalPodAutoscalerV1Conversion.METRICS
        + "':'not json'}},'spec':{'maxReplicas':2,'targetCPUUtilizationPercentage':40}}"));
    assertThat(v2.path("spec").path("metrics").size()).isEqualTo(1);
    assertThat(v2.path("metadata").has("annotations")).isFalse();
  }
}
