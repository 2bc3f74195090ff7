package io.indicativegateway.sim;

/** The kinds of accepted items the simulator records, named as in {@code /_simulator/received?kind=}. */
enum ItemKind {
  EVENTS("events"),
  IDENTIFIES("identifies"),
  ALIASES("aliases");

  private final String label;

  ItemKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static ItemKind fromLabel(String label) {
    for (ItemKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    return null;
  }
}
