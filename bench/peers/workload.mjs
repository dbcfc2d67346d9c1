// One neutral, seeded description of an access-control workload, and its renderings as Cedar
// policies (+ entities and context for cedar-wasm) and as a xiangyue policy set (+ JSON requests).
//
// The model: a user asks to perform action aK on a document, in an environment.
//   user: level (integer), dept (text), groups (set of texts)
//   doc:  sensitivity (integer), dept (text), category (text), amount (integer)
//   env:  hour (integer), channel (text), mfa (bool)
// Ten rules per action (five permits, five forbids), so a request can only meet the ten rules of
// its own action. Forbid overrides permit; no applicable permit denies.
//
// A rule's condition is a conjunction of atoms (`when`), optionally with a conjunction that must
// NOT hold (`unless`). Atoms:
//   {cmp: ">=", left: "user.level", right: 3}                      integer vs constant
//   {cmp: ">", left: "doc.sensitivity", right: {path: "user.level", plus: 1}}
//   {eq: "env.channel", value: "web"}                              text equality with a constant
//   {eqPath: "user.dept", other: "doc.dept"}                       text equality of two attributes
//   {has: "user.groups", value: "auditors"}                        set membership
//   {oneOf: "doc.category", values: ["memo", "plan"]}              value in a set literal
//   {flag: "env.mfa"}                                              a bool attribute
//   {not: ATOM}

export const AS_OF = '2026-11-26';
export const RULES_PER_ACTION = 10;
export const ACTIONS_PER_POLICY = 100;

const DEPTS = ['finance', 'legal', 'hr', 'ops', 'sales', 'research'];
const CATEGORIES = ['contract', 'invoice', 'memo', 'report', 'plan', 'audit', 'policy', 'record'];
const GROUPS = ['editors', 'reviewers', 'managers', 'interns', 'contractors', 'treasury'];
const CHANNELS = ['web', 'web', 'mobile', 'api'];

// splitmix64, so the workload is the same on every platform and Node version.
export class Rng {
  constructor(seed) {
    this.state = BigInt.asUintN(64, BigInt(seed));
  }
  next() {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  below(n) {
    return Number(this.next() % BigInt(n));
  }
  between(lo, hi) {
    return lo + this.below(hi - lo + 1);
  }
  chance(percent) {
    return this.below(100) < percent;
  }
  pick(items) {
    return items[this.below(items.length)];
  }
  // k distinct items, in the vocabulary's order.
  some(items, k) {
    const chosen = new Set();
    while (chosen.size < k) chosen.add(this.below(items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
}

// The rule of template `t` (0..9) for action `action`: [effect, when, unless, reason].
function ruleTemplate(t, rng) {
  switch (t) {
    case 0:
      return [
        'permit',
        [
          {cmp: '>=', left: 'user.level', right: rng.between(2, 4)},
          {cmp: '<=', left: 'doc.sensitivity', right: rng.between(1, 3)},
        ],
        [],
        'level {user.level} may see sensitivity {doc.sensitivity}',
      ];
    case 1:
      return [
        'permit',
        [
          {has: 'user.groups', value: rng.pick(GROUPS)},
          {oneOf: 'doc.category', values: rng.some(CATEGORIES, rng.between(2, 3))},
        ],
        [],
        'group member working on a {doc.category}',
      ];
    case 2: {
      const from = rng.between(7, 9);
      return [
        'permit',
        [
          {eqPath: 'user.dept', other: 'doc.dept'},
          {cmp: '>=', left: 'env.hour', right: from},
          {cmp: '<', left: 'env.hour', right: from + 10},
        ],
        [],
        'own department ({doc.dept}) in office hours',
      ];
    }
    case 3:
      return [
        'permit',
        [
          {cmp: '<=', left: 'doc.amount', right: rng.between(10, 50) * 100},
          {eq: 'env.channel', value: 'web'},
          {flag: 'env.mfa'},
        ],
        [],
        'amount {doc.amount} on the web with MFA',
      ];
    case 4:
      return [
        'permit',
        [
          {oneOf: 'user.dept', values: rng.some(DEPTS, 2)},
          {cmp: '<=', left: 'doc.sensitivity', right: 1},
        ],
        [],
        '{user.dept} may see public documents',
      ];
    case 5:
      return [
        'forbid',
        [{cmp: '>', left: 'doc.sensitivity', right: {path: 'user.level', plus: rng.between(1, 2)}}],
        [],
        'sensitivity {doc.sensitivity} is above level {user.level}',
      ];
    case 6:
      return ['forbid', [{has: 'user.groups', value: 'suspended'}], [], 'the user is suspended'];
    case 7:
      return [
        'forbid',
        [
          {eq: 'env.channel', value: 'api'},
          {cmp: '>', left: 'doc.amount', right: rng.between(50, 90) * 100},
        ],
        [{flag: 'env.mfa'}],
        'amount {doc.amount} through the API without MFA',
      ];
    case 8:
      return [
        'forbid',
        [{oneOf: 'doc.category', values: [rng.pick(CATEGORIES)]}],
        [{has: 'user.groups', value: 'auditors'}],
        'a {doc.category} is for auditors only',
      ];
    default:
      return [
        'forbid',
        [
          {cmp: '<', left: 'env.hour', right: rng.between(5, 7)},
          {not: {eqPath: 'user.dept', other: 'doc.dept'}},
        ],
        [],
        'another department at {env.hour} o\'clock',
      ];
  }
}

function makeRequest(actions, rng) {
  const groups = GROUPS.filter(() => rng.chance(25));
  if (rng.chance(20)) groups.push('auditors');
  if (rng.chance(3)) groups.push('suspended');
  const userDept = rng.pick(DEPTS);
  return {
    action: rng.pick(actions),
    user: {level: rng.between(1, 5), dept: userDept, groups},
    doc: {
      sensitivity: rng.between(0, 5),
      dept: rng.chance(50) ? userDept : rng.pick(DEPTS),
      category: rng.pick(CATEGORIES),
      amount: rng.between(0, 10000),
    },
    env: {hour: rng.between(0, 23), channel: rng.pick(CHANNELS), mfa: rng.chance(60)},
  };
}

// The neutral description: actions, rules and requests.
export function generate(ruleCount, requestCount, seed) {
  if (!Number.isInteger(ruleCount) || ruleCount < 1) throw new Error(`bad rule count ${ruleCount}`);
  const rng = new Rng(seed);
  const actionCount = Math.ceil(ruleCount / RULES_PER_ACTION);
  const actions = Array.from({length: actionCount}, (_, i) => `a${i + 1}`);
  const rules = [];
  for (let i = 0; i < ruleCount; ++i) {
    const action = actions[Math.floor(i / RULES_PER_ACTION)];
    const t = i % RULES_PER_ACTION;
    const [effect, when, unless, reason] = ruleTemplate(t, rng);
    rules.push({id: `r${action.slice(1)}_${t}`, effect, action, when, unless, reason});
  }
  const requestRng = new Rng(BigInt(seed) + 1n);
  const requests = Array.from({length: requestCount}, () => makeRequest(actions, requestRng));
  return {seed: String(seed), asOf: AS_OF, actions, rules, requests};
}

// ---- reference evaluation of the neutral model (a third opinion on every decision) ----

function get(req, path) {
  const [root, field] = path.split('.');
  return req[root][field];
}

function holds(atom, req) {
  if (atom.not) return !holds(atom.not, req);
  if (atom.cmp) {
    const l = get(req, atom.left);
    const r = typeof atom.right === 'number' ? atom.right : get(req, atom.right.path) + atom.right.plus;
    switch (atom.cmp) {
      case '<': return l < r;
      case '<=': return l <= r;
      case '>': return l > r;
      case '>=': return l >= r;
      default: throw new Error(`bad comparison ${atom.cmp}`);
    }
  }
  if (atom.eq) return get(req, atom.eq) === atom.value;
  if (atom.eqPath) return get(req, atom.eqPath) === get(req, atom.other);
  if (atom.has) return get(req, atom.has).includes(atom.value);
  if (atom.oneOf) return atom.values.includes(get(req, atom.oneOf));
  if (atom.flag) return get(req, atom.flag) === true;
  throw new Error(`bad atom ${JSON.stringify(atom)}`);
}

export function applies(rule, req) {
  return (
    rule.action === req.action &&
    rule.when.every((a) => holds(a, req)) &&
    !(rule.unless.length > 0 && rule.unless.every((a) => holds(a, req)))
  );
}

// {decision: 'allow'|'deny', rules: ids that decided it, kind: 'permit'|'forbid'|'default'}
export function referenceDecision(rulesByAction, req) {
  const hit = (rulesByAction.get(req.action) || []).filter((r) => applies(r, req));
  const forbids = hit.filter((r) => r.effect === 'forbid').map((r) => r.id);
  if (forbids.length) return {decision: 'deny', rules: forbids, kind: 'forbid'};
  const permits = hit.filter((r) => r.effect === 'permit').map((r) => r.id);
  if (permits.length) return {decision: 'allow', rules: permits, kind: 'permit'};
  return {decision: 'deny', rules: [], kind: 'default'};
}

export function rulesByAction(workload) {
  const m = new Map();
  for (const r of workload.rules) {
    if (!m.has(r.action)) m.set(r.action, []);
    m.get(r.action).push(r);
  }
  return m;
}

// ---- Cedar ----

const CEDAR_ROOT = {user: 'principal', doc: 'resource', env: 'context'};
const cedarPath = (p) => {
  const [root, field] = p.split('.');
  return `${CEDAR_ROOT[root]}.${field}`;
};
const str = (s) => JSON.stringify(s);  // ASCII vocabulary: JSON and Cedar strings agree

function cedarAtom(a) {
  if (a.not) return `!(${cedarAtom(a.not)})`;
  if (a.cmp) {
    const r = typeof a.right === 'number' ? String(a.right) : `${cedarPath(a.right.path)} + ${a.right.plus}`;
    return `${cedarPath(a.left)} ${a.cmp} ${r}`;
  }
  if (a.eq) return `${cedarPath(a.eq)} == ${str(a.value)}`;
  if (a.eqPath) return `${cedarPath(a.eqPath)} == ${cedarPath(a.other)}`;
  if (a.has) return `${cedarPath(a.has)}.contains(${str(a.value)})`;
  if (a.oneOf) return `[${a.values.map(str).join(', ')}].contains(${cedarPath(a.oneOf)})`;
  if (a.flag) return cedarPath(a.flag);
  throw new Error(`bad atom ${JSON.stringify(a)}`);
}

export function cedarPolicy(rule) {
  let text = `${rule.effect} (principal, action == Action::${str(rule.action)}, resource)\n`;
  text += `when { ${rule.when.map(cedarAtom).join(' && ')} }`;
  if (rule.unless.length) text += `\nunless { ${rule.unless.map(cedarAtom).join(' && ')} }`;
  return text + ';';
}

// The policy set as cedar-wasm takes it: one text, policies in rule order. cedar-wasm names them
// policy0, policy1, … by position (rule i of the workload is policy<i>). One text is the fastest form
// here: a map {id: text} (which would keep the rule ids) cost about 4× as much per call.
export function cedarPolicySet(workload) {
  return {staticPolicies: cedarText(workload)};
}

export function cedarText(workload) {
  return workload.rules.map((r) => cedarPolicy(r) + '\n').join('');
}

// An isAuthorized call without its `policies` (added by the caller).
export function cedarRequest(req, i) {
  const user = {type: 'User', id: `u${i}`};
  const doc = {type: 'Doc', id: `d${i}`};
  return {
    principal: user,
    action: {type: 'Action', id: req.action},
    resource: doc,
    context: {...req.env},
    entities: [
      {uid: user, attrs: {...req.user, groups: [...req.user.groups]}, parents: []},
      {uid: doc, attrs: {...req.doc}, parents: []},
    ],
  };
}

// ---- xiangyue ----

function xyAtom(a) {
  if (a.not) return `not (${xyAtom(a.not)})`;
  if (a.cmp) {
    const r = typeof a.right === 'number' ? String(a.right) : `${a.right.path} + ${a.right.plus}`;
    return `${a.left} ${a.cmp} ${r}`;
  }
  if (a.eq) return `${a.eq} = ${str(a.value)}`;
  if (a.eqPath) return `${a.eqPath} = ${a.other}`;
  if (a.has) return `${str(a.value)} in ${a.has}`;
  if (a.oneOf) return `${a.oneOf} in [${a.values.map(str).join(', ')}]`;
  if (a.flag) return a.flag;
  throw new Error(`bad atom ${JSON.stringify(a)}`);
}

export function xyRule(rule) {
  let cond = rule.when.map(xyAtom).join(' and ');
  if (rule.unless.length) cond += ` and not (${rule.unless.map(xyAtom).join(' and ')})`;
  return (
    `  rule ${rule.id} ${rule.effect} ${rule.action}\n` +
    `    when ${cond}\n` +
    `    because ${str(rule.reason)}\n`
  );
}

// Files of the xiangyue policy set: [name, text]. One check policy (default not_permitted) per
// hundred actions, one file each, and a schema with one action per ten rules.
export function xyFiles(workload) {
  let schema =
    `# Generated by bench/peers/workload.mjs (${workload.rules.length} rules, seed ${workload.seed})\n` +
    'schema {\n' +
    '  record User { level: int, dept: text, groups: set<text> }\n' +
    '  record Doc { sensitivity: int, dept: text, category: text, amount: int }\n' +
    '  record Env { hour: int, channel: text, mfa: bool }\n';
  for (const a of workload.actions) schema += `  action ${a} { user: User, doc: Doc, env: Env }\n`;
  schema += '}\n';
  const files = [['schema.xy', schema]];
  const byAction = rulesByAction(workload);
  for (let p = 0; p * ACTIONS_PER_POLICY < workload.actions.length; ++p) {
    let text = `policy peers${p + 1} {\n  kind check\n  default not_permitted\n`;
    for (const a of workload.actions.slice(p * ACTIONS_PER_POLICY, (p + 1) * ACTIONS_PER_POLICY))
      for (const r of byAction.get(a) || []) text += xyRule(r);
    text += '}\n';
    files.push([`policy${String(p + 1).padStart(3, '0')}.xy`, text]);
  }
  return files;
}

export function xyRequest(req, asOf) {
  return JSON.stringify({action: req.action, as_of: asOf, facts: {user: req.user, doc: req.doc, env: req.env}});
}
