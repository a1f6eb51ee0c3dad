package dev.sluice.web.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.web.testing.Reports;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The published report schema says what the validator and the report record actually do. */
class ReportSchemaTest {

  private static JsonNode schema() throws Exception {
    try (InputStream in = ReportSchemaTest.class.getResourceAsStream("/report-schema.json")) {
      return Json.mapper().readTree(in);
    }
  }

  private static Set<String> names(Iterator<String> names) {
    Set<String> result = new HashSet<>();
    names.forEachRemaining(result::add);
    return result;
  }

  @Test
  void topLevelFieldsTypesAndRequiredOnesMatchTheValidatorAndTheRecord() throws Exception {
    JsonNode schema = schema();
    JsonNode properties = schema.get("properties");
    Set<String> declared = names(properties.fieldNames());

    Set<String> validated = new HashSet<>(ReportValidator.topLevelTypes().keySet());
    validated.add(NodeReport.SCHEMA_FIELD);
    validated.addAll(ReportValidator.ENVELOPE_FIELDS);
    assertThat(declared).isEqualTo(validated);
    Set<String> recorded =
        Arrays.stream(NodeReport.class.getRecordComponents())
            .map(c -> c.getName())
            .collect(Collectors.toSet());
    recorded.add(NodeReport.SCHEMA_FIELD);
    recorded.addAll(ReportValidator.ENVELOPE_FIELDS);
    assertThat(declared).isEqualTo(recorded);

    ReportValidator.topLevelTypes()
        .forEach(
            (field, type) ->
                assertThat(properties.get(field).get("type").toString())
                    .as(field)
                    .contains("\"" + type.name().toLowerCase(Locale.ROOT) + "\""));
    assertThat(schema.get("required").size()).isEqualTo(ReportValidator.REQUIRED.size());
    schema.get("required").forEach(r -> assertThat(ReportValidator.REQUIRED).contains(r.asText()));
    assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
    assertThat(properties.at("/schema/maximum").asInt()).isEqualTo(NodeReport.SCHEMA_VERSION);
    Set<String> actions = new HashSet<>();
    properties.at("/action/enum").forEach(a -> actions.add(a.asText()));
    assertThat(actions)
        .isEqualTo(Arrays.stream(Action.values()).map(Action::id).collect(Collectors.toSet()));
  }

  @Test
  void aReportTheValidatorTakesFitsTheSchemaPatterns() throws Exception {
    JsonNode properties = schema().get("properties");
    JsonNode report = Json.mapper().readTree(Reports.report().preprod().json());
    report
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode rule = properties.get(field.getKey());
              assertThat(rule).as(field.getKey()).isNotNull();
              if (rule.has("pattern") && field.getValue().isTextual()) {
                assertThat(field.getValue().asText())
                    .as(field.getKey())
                    .matches(Pattern.compile(rule.get("pattern").asText()));
              }
            });
  }
}
