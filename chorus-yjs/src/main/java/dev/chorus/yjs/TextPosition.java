package dev.chorus.yjs;

import java.util.LinkedHashMap;

/** A cursor in a text: between {@code left} and {@code right}, at visible {@code index}, with the formatting in effect. */
final class TextPosition {
  Item left;
  Item right;
  int index;
  final LinkedHashMap<String, Object> currentAttributes;

  TextPosition(Item left, Item right, int index, LinkedHashMap<String, Object> currentAttributes) {
    this.left = left;
    this.right = right;
    this.index = index;
    this.currentAttributes = currentAttributes;
  }

  void forward() {
    if (right == null) {
      throw new IllegalStateException("cannot move past the end");
    }
    if (right.content instanceof ContentFormat) {
      if (!right.deleted()) {
        TextFormatting.updateCurrentAttributes(currentAttributes, (ContentFormat) right.content);
      }
    } else if (!right.deleted()) {
      index += right.length;
    }
    left = right;
    right = right.right;
  }
}
