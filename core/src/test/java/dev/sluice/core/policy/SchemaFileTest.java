package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The editor schema published next to the parser must describe the same document. */
class SchemaFileTest {

  private static JsonNode schema() throws IOException {
    try (InputStream in = Policy.class.getResourceAsStream("channels.schema.json")) {
      assertThat(in).as("channels.schema.json on the classpath").isNotNull();
      return Json.mapper().readTree(in);
    }
  }

  private static List<String> names(JsonNode properties) {
    List<String> names = new ArrayList<>();
    properties.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  @Test
  void schemaIsDraft202012WithTheRecordsTopLevelProperties() throws IOException {
    JsonNode schema = schema();

    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(names(schema.path("properties")))
        .containsExactlyElementsOf(components(Policy.class))
        .containsExactlyElementsOf(PolicyParser.TOP_LEVEL_FIELDS);
    assertThat(schema.path("properties").path("schema").path("const").asInt()).isEqualTo(1);
  }

  @Test
  void nestedObjectsListTheSameFieldsAsTheParser() throws IOException {
    JsonNode schema = schema();
    JsonNode properties = schema.path("properties");
    JsonNode defs = schema.path("$defs");

    assertThat(names(defs.path("channel").path("properties")))
        .containsExactlyElementsOf(PolicyParser.CHANNEL_FIELDS)
        .containsExactlyElementsOf(components(ChannelPolicy.class));
    assertThat(names(properties.path("lottery").path("properties")))
        .containsExactlyElementsOf(PolicyParser.LOTTERY_FIELDS)
        .containsExactlyElementsOf(components(LotteryPolicy.class));
    assertThat(names(properties.path("promotion").path("properties")))
        .containsExactlyElementsOf(PolicyParser.PROMOTION_FIELDS)
        .containsExactlyElementsOf(components(PromotionPolicy.class));
    assertThat(names(defs.path("refWithReason").path("properties")))
        .containsExactlyElementsOf(PolicyParser.REF_FIELDS)
        .containsExactlyElementsOf(components(Deadend.class))
        .containsExactlyElementsOf(components(Barrier.class));
    assertThat(names(properties.path("rollouts").path("items").path("properties")))
        .containsExactlyElementsOf(PolicyParser.ROLLOUT_FIELDS)
        .containsExactlyElementsOf(components(Rollout.class));
    assertThat(names(properties.path("maintenanceWindows").path("items").path("properties")))
        .containsExactlyElementsOf(PolicyParser.WINDOW_FIELDS)
        .containsExactlyElementsOf(components(MaintenanceWindow.class));
  }

  @Test
  void everyObjectInTheSchemaRejectsUnknownFields() throws IOException {
    List<String> open = new ArrayList<>();
    collectOpenObjects(schema(), "", open);
    assertThat(open).isEmpty();
  }

  private static void collectOpenObjects(JsonNode node, String path, List<String> open) {
    if (node.isObject()) {
      if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
        open.add(path);
      }
      node.fields()
          .forEachRemaining(f -> collectOpenObjects(f.getValue(), path + "/" + f.getKey(), open));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectOpenObjects(node.get(i), path + "/" + i, open);
      }
    }
  }
}
