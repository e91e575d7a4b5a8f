// clusterdir search: normalisation and index reading (format: see src/data/search/mod.rs). Mirrors src/text.rs `name_tokens` (used by src/data/search/tokens.rs) exactly;
// both are tested against tests/search/normalise.json. No framework, no bundler.
// Characters that look like Latin letters or digits, and what they stand for (src/text.rs
// `look_alike`): one table, generated for both by scripts/confusables.py.
import { CONFUSABLES as LOOK_ALIKES } from "./confusables.mjs";

const STOP_WORDS = new Set(["primary", "school", "the"]);
const PHRASES = [
  [["church", "of", "england"], "ce"],
  [["c", "of", "e"], "ce"],
  [["c", "e"], "ce"],
  [["roman", "catholic"], "rc"],
  [["r", "c"], "rc"],
  [["catholic"], "rc"],
  [["cofe"], "ce"],
  [["saint"], "st"],
];
const APOSTROPHES = new Set(["'", "`", "\u2018", "\u2019", "\u02bc", "\u00b4", "\u2032"]);
const ALNUM = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/** One character, cleaned (see src/text.rs `push_clean`). */
function clean(c) {
  if (c === "&") return " and ";
  if (c === "." || APOSTROPHES.has(c)) return "";
  if (ALNUM.test(c)) return c.toLowerCase();
  return " ";
}

/** Normalised tokens of a text: the identity rule of src/text.rs `name_tokens`. */
export function tokens(text) {
  let cleaned = "";
  for (const ch of String(text)) {
    if (ch.codePointAt(0) < 0x80) cleaned += clean(ch);
    else if (LOOK_ALIKES[ch] !== undefined) cleaned += LOOK_ALIKES[ch];
    else if (!APOSTROPHES.has(ch)) {
      for (const c of ch.normalize("NFKD")) {
        if (MARK.test(c) || IGNORABLE.test(c)) continue;
        cleaned += LOOK_ALIKES[c] ?? clean(c);
      }
    }
  }
  const words = cleaned.split(/\s+/).filter(Boolean);
  const out = [];
  outer: for (let i = 0; i < words.length; ) {
    for (const [phrase, replacement] of PHRASES) {
      if (phrase.every((w, j) => words[i + j] === w)) {
        out.push(replacement);
        i += phrase.length;
        continue outer;
      }
    }
    out.push(words[i]);
    i += 1;
  }
  return out.filter((w) => !STOP_WORDS.has(w));
}

export function normalise(text) {
  return tokens(text).join(" ");
}

/** The shard file of a token: hex of the UTF-8 of its first two characters. */
export function shardKey(token) {
  const prefix = [...token].slice(0, 2).join("");
  return [...new TextEncoder().encode(prefix)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Edit distance (with swaps of neighbours), giving up above `max`. */
export function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j];
    prev = cur;
  }
  return prev[b.length];
}

/** How well a query token matches an index token: 3 exact, 2 prefix, 1 near (one typo
 * in words of 4+ letters, two in words of 8+; never for numbers), 0 not at all. */
export function matchScore(q, token) {
  if (q === token) return 3;
  if (q.length >= 2 && token.startsWith(q)) return 2;
  // Numbers are typed exactly: a near number is a different school or year.
  if (/\d/.test(q)) return 0;
  const allowed = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
  if (allowed && editDistance(q, token, allowed) <= allowed) return 1;
  // A typo while still typing: the query is close to the start of the token.
  if (allowed && token.length > q.length && editDistance(q, token.slice(0, q.length), allowed) <= allowed) return 1;
  return 0;
}

export const KIND = { cluster: 0, school: 1, centre: 2, service: 3, guide: 4, page: 5 };

/** Reads the index through `load(path)`, which returns parsed JSON (or null when the
 * file does not exist); fetches only the files a query needs. */
export class SearchIndex {
  constructor(load) {
    this.load = load;
    this.files = new Map();
  }

  file(path) {
    if (!this.files.has(path)) this.files.set(path, Promise.resolve(this.load(path)).catch(() => null));
    return this.files.get(path);
  }

  meta() {
    return this.file("meta.json");
  }

  /** Results for a query, best first: [{id, kind, title, url, cluster, detail, score}].
   * `kinds` limits the kinds searched; `limit` caps results (per kind when `perKind`). */
  async search(query, { kinds = null, limit = 20, perKind = false } = {}) {
    const q = tokens(query);
    if (q.length === 0 || q.join("").length < 2) return { results: [], total: 0, tokens: q };
    const meta = await this.meta();
    if (!meta) return { results: [], total: 0, tokens: q };
    const kindOf = (id) => meta.kinds.findIndex((start, k) => id >= start && id < meta.kinds[k + 1]);
    const wanted = (id) => !kinds || kinds.includes(kindOf(id));
    let total = null;
    for (const qt of q) {
      // Words in the index that match this query word (allowing typos after the first
      // letter), then only the shards that hold them.
      const vocab = (await this.file(`v/${shardKey([...qt][0])}.json`)) || [];
      const matched = new Map();
      for (const token of vocab) {
        const s = matchScore(qt, token);
        if (s) matched.set(token, s);
      }
      const keys = [...new Set([...matched.keys()].map(shardKey))];
      const shards = await Promise.all(keys.map((k) => this.file(`t/${k}.json`)));
      const scores = new Map();
      for (const shard of shards) for (const [field, weight] of [["t", 2], ["x", 1]]) {
        for (const [token, gaps] of Object.entries((shard && shard[field]) || {})) {
          const s = matched.get(token);
          if (!s) continue;
          let id = 0;
          gaps.forEach((g, i) => {
            id = i === 0 ? g : id + g;
            if (wanted(id)) scores.set(id, Math.max(scores.get(id) || 0, s * weight));
          });
        }
      }
      if (total === null) total = scores;
      else {
        const both = new Map();
        for (const [id, s] of scores) if (total.has(id)) both.set(id, total.get(id) + s);
        total = both;
      }
      if (total.size === 0) break;
    }
    let ranked = [...(total || new Map())].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const count = ranked.length;
    if (perKind) {
      const seen = new Map();
      ranked = ranked.filter(([id]) => {
        const k = kindOf(id);
        seen.set(k, (seen.get(k) || 0) + 1);
        return seen.get(k) <= limit;
      });
    } else ranked = ranked.slice(0, limit);
    const results = [];
    for (const [id, score] of ranked) {
      const chunk = await this.file(`d/${Math.floor(id / meta.chunk)}.json`);
      const [kind, title, cluster, extra] = chunk[id % meta.chunk];
      const c = meta.clusters[cluster] || null;
      let url = c ? c[1] : extra;
      let detail = null;
      if (kind === KIND.school || kind === KIND.centre) {
        url = `${c[1]}#how-to-get-help`;
        detail = kind === KIND.school ? `${extra} school` : "Children's centre";
      } else if (kind === KIND.service) {
        url = `${c[1]}#offer-${meta.categories[extra][0]}`;
        detail = meta.categories[extra][1];
      }
      results.push({ id, kind, title, url, cluster: c && { name: c[0], url: c[1] }, detail, score });
    }
    return { results, total: count, tokens: q };
  }
}

/** Split a title into [text, matched] parts, marking words that match a query token. */
export function highlight(title, queryTokens) {
  const parts = [];
  for (const piece of String(title).split(/(\s+)/)) {
    const t = tokens(piece);
    const hit = t.length > 0 && t.some((w) => queryTokens.some((q) => matchScore(q, w) > 0));
    const last = parts[parts.length - 1];
    if (last && last[1] === hit) last[0] += piece;
    else parts.push([piece, hit]);
  }
  return parts;
}
