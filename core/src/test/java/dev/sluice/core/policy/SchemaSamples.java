package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sluice.core.json.Json;
import java.util.List;

/**
 * Checks policy samples against the published schema with a JSON Schema validator, so that the
 * schema and the parser cannot drift apart: whatever the parser refuses, the schema refuses too,
 * unless every reason is one a JSON Schema cannot express.
 */
final class SchemaSamples {

  /**
   * What only the parser checks (see {@link PolicyFormat}): a refusal made only of these reasons
   * may pass the schema.
   */
  static final List<String> BEYOND_THE_SCHEMA =
      List.of(
          // JSON itself: a schema validates a parsed document, and an empty file is none.
          "not valid JSON",
          "Duplicate field",
          "got nothing",
          // ranges of periods, durations and instants
          "is not an ISO-8601 period from P1D to P1Y",
          "ISO-8601 duration of at most",
          "is not an ISO-8601 duration from PT1M to P1D",
          "ISO-8601 duration from PT1M to P30D",
          "is not between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
          // git ref names and time zones
          "is not a tag name (v5.1.0)",
          "is not a branch name",
          "does not make valid tag names",
          "is not an IANA time zone",
          // across fields and entries
          "is listed twice in",
          "already has a rollout",
          "also has a weight in lottery.groupWeights",
          "is also the stable branch",
          "is also the stable tag pattern",
          "an object without a limit");

  private static Schema schema;

  private SchemaSamples() {}

  static synchronized Schema schema() {
    if (schema == null) {
      schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
              .getSchema(Policy.class.getResourceAsStream("channels.schema.json"));
    }
    return schema;
  }

  /** The schema's complaints about a document (empty when it passes, or is not JSON at all). */
  static List<Error> errors(String json) {
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      return List.of();
    }
    if (tree == null || tree.isMissingNode()) {
      return List.of();
    }
    return schema().validate(tree);
  }

  /** A valid document passes the schema. */
  static void assertAccepted(String json) {
    assertThat(errors(json)).as("schema errors for a valid policy").isEmpty();
  }

  /**
   * A document the parser refused with these reasons is refused by the schema too, unless every
   * reason is beyond what a schema can say.
   */
  static void assertRefused(String json, List<String> parserErrors) {
    if (parserErrors.stream().allMatch(SchemaSamples::beyondTheSchema)) {
      return;
    }
    assertThat(errors(json))
        .as("the parser refused %s with %s, so the schema must refuse it", clip(json), parserErrors)
        .isNotEmpty();
  }

  static boolean beyondTheSchema(String error) {
    return BEYOND_THE_SCHEMA.stream().anyMatch(error::contains);
  }

  private static String clip(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
