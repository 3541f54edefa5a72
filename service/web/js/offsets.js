// The API counts Unicode code points; JavaScript strings count UTF-16 code units. An emoji is
// one code point but two code units, so every offset from the API goes through this map.

/** Array `map` where map[codePointIndex] = UTF-16 index, for 0..(number of code points). */
export function codePointToUtf16(text) {
  const map = [];
  let unit = 0;
  for (const char of text) {
    map.push(unit);
    unit += char.length;
  }
  map.push(unit);
  return map;
}
