package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published schema is generated from {@link PolicyFormat}, which the parser walks by, and the
 * format's objects have the records' fields.
 */
class SchemaFileTest {

  private static final String RESOURCE = "src/main/resources/dev/sluice/core/policy/";

  private static String committed() throws IOException {
    try (InputStream in = Policy.class.getResourceAsStream("channels.schema.json")) {
      assertThat(in).as("channels.schema.json on the classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  @Test
  void theCommittedSchemaIsTheOneGeneratedFromTheFormat() throws IOException {
    String generated = PolicyFormat.schemaText();
    if (!generated.equals(committed())) {
      Path fresh = Path.of("target", "channels.schema.json");
      Files.writeString(fresh, generated);
      throw new AssertionError(
          "channels.schema.json is not the schema PolicyFormat generates; the fresh one is in "
              + fresh.toAbsolutePath()
              + ": copy it to "
              + RESOURCE
              + " and commit it");
    }
  }

  @Test
  void theSchemaIsDraft202012AndClosed() throws IOException {
    JsonNode schema = Json.mapper().readTree(committed());

    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.path("properties").path("schema").path("const").asInt()).isEqualTo(1);
    List<String> open = new ArrayList<>();
    collectOpenObjects(schema, "", open);
    assertThat(open).isEmpty();
  }

  @Test
  void theFormatsObjectsHaveTheRecordsFields() {
    assertThat(PolicyFormat.DOCUMENT.names())
        .containsExactlyElementsOf(components(Policy.class))
        .containsExactlyElementsOf(PolicyParser.TOP_LEVEL_FIELDS);
    assertThat(PolicyFormat.CHANNEL.names())
        .containsExactlyElementsOf(components(ChannelPolicy.class));
    assertThat(PolicyFormat.LOTTERY.names())
        .containsExactlyElementsOf(components(LotteryPolicy.class));
    assertThat(PolicyFormat.PROMOTION.names())
        .containsExactlyElementsOf(components(PromotionPolicy.class));
    assertThat(PolicyFormat.REF_ENTRY.names())
        .containsExactlyElementsOf(components(Deadend.class))
        .containsExactlyElementsOf(components(Barrier.class));
    assertThat(PolicyFormat.ROLLOUT.names()).containsExactlyElementsOf(components(Rollout.class));
    assertThat(PolicyFormat.WINDOW.names())
        .containsExactlyElementsOf(components(MaintenanceWindow.class));
    assertThat(PolicyFormat.UPDATE_LIMITS.names())
        .containsExactlyElementsOf(components(UpdateLimits.class));
    assertThat(PolicyFormat.UPDATE_LIMIT.names())
        .containsExactlyElementsOf(components(UpdateLimit.class));
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
