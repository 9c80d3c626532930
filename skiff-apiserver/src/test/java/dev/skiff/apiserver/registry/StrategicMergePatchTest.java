package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class StrategicMergePatchTest {
  record Case(String name, String target, String patch, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static JsonNode json(String s) {
    return Json.parse(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Case> cases() {
    String pod = "{'spec':{'containers':[{'name':'a','image':'a:1','ports':[{'containerPort':80},{'containerPort':81}],"
        + "'env':[{'name':'X','value':'1'}]},{'name':'b','image':'b:1'}]}}";
    return Stream.of(
        new Case("container merged by name", pod, "{'spec':{'containers':[{'name':'b','image':'b:2'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'a:1','ports':[{'containerPort':80},{'containerPort':81}],"
                + "'env':[{'name':'X','value':'1'}]},{'name':'b','image':'b:2'}]}}"),
        new Case("container deleted", pod, "{'spec':{'$setElementOrder/containers':[{'name':'a'}],"
            + "'containers':[{'$patch':'delete','name':'b'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'a:1','ports':[{'containerPort':80},{'containerPort':81}],"
                + "'env':[{'name':'X','value':'1'}]}]}}"),
        new Case("port removed by containerPort", pod,
            "{'spec':{'containers':[{'name':'a','ports':[{'$patch':'delete','containerPort':81}]}]}}",
            "{'spec':{'containers':[{'name':'a','image':'a:1','ports':[{'containerPort':80}],"
                + "'env':[{'name':'X','value':'1'}]},{'name':'b','image':'b:1'}]}}"),
        new Case("env added", pod, "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'2'}]}]}}",
            "{'spec':{'containers':[{'name':'a','image':'a:1','ports':[{'containerPort':80},{'containerPort':81}],"
                + "'env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]},{'name':'b','image':'b:1'}]}}"),
        new Case("args replaced", "{'args':['a','b']}", "{'args':['c']}", "{'args':['c']}"),
        new Case("finalizers merged and deleted", "{'metadata':{'finalizers':['x','y']}}",
            "{'metadata':{'finalizers':['z'],'$deleteFromPrimitiveList/finalizers':['x']}}",
            "{'metadata':{'finalizers':['y','z']}}"),
        new Case("map key removed", "{'metadata':{'labels':{'a':'1','b':'2'}}}", "{'metadata':{'labels':{'a':null}}}",
            "{'metadata':{'labels':{'b':'2'}}}"),
        new Case("list replaced by directive", "{'spec':{'volumes':[{'name':'a'},{'name':'b'}]}}",
            "{'spec':{'volumes':[{'name':'c'},{'$patch':'replace'}]}}", "{'spec':{'volumes':[{'name':'c'}]}}"),
        new Case("retainKeys", "{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}",
            "{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}", "{'strategy':{'type':'Recreate'}}"),
        new Case("service ports by port", "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}",
            "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
            "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443}]}}"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void appliesLikeUpstream(Case c) {
    assertThat(StrategicMergePatch.apply(json(c.target()), json(c.patch()))).isEqualTo(json(c.expected()));
  }
}
