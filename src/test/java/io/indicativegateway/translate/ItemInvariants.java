package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.translate.IndicativeItem.Kind;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What every translation output must satisfy, whatever the input. */
final class ItemInvariants {

  private ItemInvariants() {}

  /** Checks the items of one message; {@code type} is the message's call type. */
  static void assertValid(String type, List<IndicativeItem> items, int maxStringLength) {
    assertThat(items).doesNotContainNull();
    switch (type) {
      case "track", "page", "screen" -> {
        assertThat(items).extracting(IndicativeItem::kind).containsExactly(Kind.EVENT);
        assertEvent(items.get(0).body());
      }
      case "identify" -> {
        assertThat(items).hasSizeBetween(1, 2);
        assertThat(items.get(0).kind()).isEqualTo(Kind.IDENTIFY);
        assertIdentify(items.get(0).body());
        if (items.size() == 2) {
          assertThat(items.get(1).kind()).isEqualTo(Kind.ALIAS);
          assertAlias(items.get(1).body());
        }
      }
      case "alias" -> {
        assertThat(items).extracting(IndicativeItem::kind).containsExactly(Kind.ALIAS);
        assertAlias(items.get(0).body());
      }
      case "group" -> {
        assertThat(items).extracting(IndicativeItem::kind).containsExactly(Kind.IDENTIFY);
        assertIdentify(items.get(0).body());
      }
      default -> assertThat(items).as("unknown type %s", type).isEmpty();
    }
    for (IndicativeItem item : items) {
      assertThat(item.body().containsKey("apiKey")).as("apiKey in body").isFalse();
      assertStrings(item.body(), maxStringLength);
    }
  }

  private static void assertEvent(JsonObject body) {
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("eventName", "eventUniqueId", "eventTime", "properties");
    assertThat(body.getValue("eventName")).isInstanceOf(String.class);
    assertThat(body.getString("eventName")).isNotEmpty();
    assertId(body.getValue("eventUniqueId"));
    assertThat(body.getValue("eventTime")).isInstanceOf(Long.class);
    assertFlat(body.getValue("properties"));
  }

  private static void assertIdentify(JsonObject body) {
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("uniqueId", "properties");
    assertId(body.getValue("uniqueId"));
    assertFlat(body.getValue("properties"));
  }

  private static void assertAlias(JsonObject body) {
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("previousId", "newId");
    assertId(body.getValue("previousId"));
    assertId(body.getValue("newId"));
    assertThat(body.getString("previousId")).isNotEqualTo(body.getString("newId"));
  }

  private static void assertId(Object id) {
    assertThat(id).isInstanceOf(String.class);
    assertThat((String) id).isNotEmpty();
  }

  private static void assertFlat(Object properties) {
    assertThat(properties).isInstanceOf(JsonObject.class);
    Map<String, Object> map = ((JsonObject) properties).getMap();
    assertThat(map.size()).isLessThanOrEqualTo(PropertyFlattener.MAX_KEYS);
    map.forEach((key, value) -> {
      assertThat(key).isNotEmpty();
      assertThat(value).as("value of %s", key).isNotNull()
          .isInstanceOfAny(String.class, Number.class, Boolean.class);
      if (value instanceof Double d) {
        assertThat(d).as("value of %s", key).isFinite();
      }
    });
  }

  /** Every string Indicative gets: the body's values, and the properties' keys and values. */
  private static void assertStrings(JsonObject body, int maxStringLength) {
    body.forEach(field -> {
      if (field.getValue() instanceof JsonObject properties) {
        properties.forEach(p -> {
          assertString(p.getKey(), maxStringLength);
          if (p.getValue() instanceof String text) {
            assertString(text, maxStringLength);
          }
        });
      } else if (field.getValue() instanceof String text) {
        assertString(text, maxStringLength);
      }
    });
  }

  static void assertString(String text, int maxStringLength) {
    assertThat(text.length()).as("length of %s", text).isLessThanOrEqualTo(maxStringLength);
    assertThat(hasLoneSurrogate(text)).as("lone surrogate in %s", text).isFalse();
  }

  static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  static final Set<String> TYPES = Set.of("track", "page", "screen", "identify", "alias", "group");
}
