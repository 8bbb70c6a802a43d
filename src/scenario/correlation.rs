//! Rank correlations between uncertain inputs: the `[[correlation]]` entries
//! of a scenario, their checks, and the Gaussian copula that draws correlated
//! inputs while leaving each input's own distribution exactly as written.
//!
//! An entry names two inputs by their dotted paths (those of
//! [`Scenario::inputs`], such as `payer.reservation` or
//! `item.denials.annual_value`) and gives their target Spearman rank
//! correlation `ρ_s`:
//!
//! ```toml
//! [[correlation]]
//! between = ["payer.reservation", "payer.exec.reservation_gain"]
//! rank = 0.5
//! ```
//!
//! The correlated inputs are drawn through a Gaussian copula. Two standard
//! normals with Pearson correlation `r` have Spearman correlation
//! `(6/π) asin(r/2)` (Pearson 1907), so each target becomes
//! `r = 2 sin(π ρ_s / 6)` ([`normal_correlation`]). With `L` the Cholesky
//! factor of the matrix `R` of those `r` (1 on the diagonal, 0 for pairs not
//! listed), a path draws independent standard normals `z`, sets `x = L z`,
//! `u_i = Φ(x_i)` and takes `quantile_i(u_i)` as input `i`: each `u_i` is
//! uniform, so every input keeps its own distribution, and the ranks have the
//! target correlations.
//!
//! The inputs split into *groups*, the connected components of the graph whose
//! edges are the entries. Each group has its own factor, so the work per path
//! is the sum of the squared group sizes, and an entry in one group never
//! changes the draws of another. Where the independent normals come from is
//! the world sampler's business ([`crate::model::world`]); this module only
//! turns them into correlated uniforms ([`Copula::apply`]).

use std::collections::{BTreeSet, HashMap};
use std::f64::consts::PI;

use nalgebra::{DMatrix, SymmetricEigen};
use serde::{Deserialize, Serialize};

use super::overrides::close_matches;
use super::{Dist, Scenario, ScenarioError};

/// `[[correlation]]`: the target rank (Spearman) correlation of two
/// uncertain inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correlation {
    /// The two inputs, by dotted path (`payer.reservation`,
    /// `provider.oon.volume_retention`, `item.denials.annual_value`).
    pub between: Vec<String>,
    /// The target Spearman rank correlation, in `[-1, 1]`.
    pub rank: f64,
}

/// The Pearson correlation `r = 2 sin(π ρ_s / 6)` of two standard normals
/// whose Spearman rank correlation is `rank` (`ρ_s`): 0, ±1 and the sign are
/// kept, and `|r|` exceeds `|ρ_s|` by at most about 0.018.
pub fn normal_correlation(rank: f64) -> f64 {
    (2.0 * (PI * rank / 6.0).sin()).clamp(-1.0, 1.0)
}

/// The standard normal distribution, for its CDF `Φ`.
const STANDARD_NORMAL: Dist = Dist::Normal {
    mean: 0.0,
    sd: 1.0,
    min: None,
    max: None,
};

/// Uniforms are kept in `[2^-53, 1 - 2^-53]`, the range of the independent
/// samplers' uniforms, so that a quantile is finite even for an unbounded
/// distribution (a lognormal's `quantile(1)` is infinite).
const U_MIN: f64 = 1.0 / (1u64 << 53) as f64;

/// Smallest eigenvalue of a group's normal-scale matrix still taken as a
/// (singular) correlation matrix rather than an impossible one; rounding in
/// `2 sin(π ρ_s / 6)` can leave a valid singular matrix (a rank of ±1)
/// slightly indefinite.
const SINGULAR_TOLERANCE: f64 = 1e-10;

/// How far a singular group's matrix is shrunk towards the identity before it
/// is factored: `(1 - ε) R + ε I`, which moves no correlation by more than
/// `ε`.
const SHRINK: f64 = 1e-9;

/// One group of correlated inputs and the Cholesky factor of its matrix.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    /// Index of the group's first input in [`Copula::inputs`].
    start: usize,
    /// Number of inputs in the group.
    len: usize,
    /// The lower-triangular factor `L`, row by row: row `i` holds
    /// `L[i][0..=i]` from offset `i (i + 1) / 2`.
    factor: Vec<f64>,
}

/// The prepared Gaussian copula of a scenario: which inputs are correlated,
/// in which groups, and each group's Cholesky factor.
///
/// Build it once with [`Copula::new`] (which also checks the
/// `[[correlation]]` entries); per path, fill a buffer with one independent
/// standard normal per correlated input, in [`Copula::inputs`] order, and
/// [`Copula::apply`] turns it into the uniforms `Φ(L z)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Copula {
    /// Positions in [`Scenario::inputs`] of the correlated inputs, group by
    /// group, each group in input order.
    inputs: Vec<usize>,
    groups: Vec<Group>,
}

/// The field path of entry `index` (0-based) in messages: `correlation[1]`
/// is the first `[[correlation]]` of the file.
fn entry_field(index: usize) -> String {
    format!("correlation[{}]", index + 1)
}

/// `["a", "b"]`, as the entry was written.
fn pair_text(between: &[String]) -> String {
    let quoted: Vec<String> = between.iter().map(|p| format!("{p:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// Find the root of `i` in a union-find forest, halving paths on the way.
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

impl Copula {
    /// Check the scenario's `[[correlation]]` entries and prepare the copula.
    ///
    /// Every error names the entry (`correlation[1]` is the first in the
    /// file), the value and what is allowed: an input path that is not an
    /// input of the scenario (with close matches), an input that is fixed, the
    /// same input twice in one entry, a pair given twice, a rank correlation
    /// outside `[-1, 1]`, or correlations that cannot hold together (their
    /// normal-scale matrix is not positive definite). A scenario without
    /// entries gives an empty copula at once.
    pub fn new(s: &Scenario) -> Result<Copula, ScenarioError> {
        if s.correlations.is_empty() {
            return Ok(Copula::default());
        }
        let inputs = s.inputs();
        let position: HashMap<&str, usize> = inputs
            .iter()
            .enumerate()
            .map(|(i, (path, _))| (path.as_str(), i))
            .collect();

        // Check each entry and note its pair of input positions.
        let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
        let mut edges: Vec<(usize, usize, f64)> = Vec::with_capacity(s.correlations.len());
        for (index, entry) in s.correlations.iter().enumerate() {
            let field = entry_field(index);
            let between = &entry.between;
            if between.len() != 2 {
                return Err(ScenarioError::invalid(
                    format!("{field}.between"),
                    pair_text(between),
                    "a correlation is between exactly two inputs, e.g. between = \
                     [\"payer.reservation\", \"payer.exec.reservation_gain\"]; write one \
                     [[correlation]] per pair",
                ));
            }
            let mut at = [0usize; 2];
            for (slot, path) in at.iter_mut().zip(between) {
                *slot = *position
                    .get(path.as_str())
                    .ok_or_else(|| unknown_input(&field, between, path, &inputs))?;
            }
            let [a, b] = at;
            if a == b {
                return Err(ScenarioError::invalid(
                    format!("{field}.between"),
                    pair_text(between),
                    format!(
                        "names `{}` twice: a correlation is between two different inputs",
                        between[0]
                    ),
                ));
            }
            for &i in &at {
                let (path, dist) = &inputs[i];
                if dist.is_fixed() {
                    return Err(ScenarioError::invalid(
                        format!("{field}.between"),
                        pair_text(between),
                        format!(
                            "`{path}` is fixed at {} in this scenario, and a correlation with a \
                             constant means nothing: give it a distribution or drop this entry",
                            dist.mean()
                        ),
                    ));
                }
            }
            if !(entry.rank.is_finite() && (-1.0..=1.0).contains(&entry.rank)) {
                return Err(ScenarioError::invalid(
                    format!("{field}.rank"),
                    entry.rank,
                    format!(
                        "the rank (Spearman) correlation of `{}` and `{}` must lie in [-1, 1]",
                        between[0], between[1]
                    ),
                ));
            }
            if let Some(first) = pairs.insert((a.min(b), a.max(b)), index) {
                return Err(ScenarioError::invalid(
                    format!("{field}.between"),
                    pair_text(between),
                    format!(
                        "the pair `{}` and `{}` is already correlated by {}: give each pair once",
                        between[0],
                        between[1],
                        entry_field(first)
                    ),
                ));
            }
            edges.push((a, b, entry.rank));
        }

        // Groups: connected components, each in input order, ordered by
        // their first input.
        let mut parent: Vec<usize> = (0..inputs.len()).collect();
        for &(a, b, _) in &edges {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
        let involved: BTreeSet<usize> = edges.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        let mut members: Vec<(usize, Vec<usize>)> = Vec::new();
        for &i in &involved {
            let root = find(&mut parent, i);
            match members.iter_mut().find(|(r, _)| *r == root) {
                Some((_, m)) => m.push(i),
                None => members.push((root, vec![i])),
            }
        }

        let mut copula = Copula::default();
        for (_, group) in members {
            let k = group.len();
            let local = |i: usize| group.iter().position(|&g| g == i);
            let mut matrix = DMatrix::<f64>::identity(k, k);
            let mut entries = Vec::new();
            for (index, &(a, b, rank)) in edges.iter().enumerate() {
                if let (Some(i), Some(j)) = (local(a), local(b)) {
                    let r = normal_correlation(rank);
                    matrix[(i, j)] = r;
                    matrix[(j, i)] = r;
                    entries.push(index);
                }
            }
            let factor = factorise(&matrix).map_err(|smallest| {
                not_positive_definite(s, &entries, &group, &inputs, smallest)
            })?;
            let mut packed = Vec::with_capacity(k * (k + 1) / 2);
            for i in 0..k {
                packed.extend((0..=i).map(|j| factor[(i, j)]));
            }
            copula.groups.push(Group {
                start: copula.inputs.len(),
                len: k,
                factor: packed,
            });
            copula.inputs.extend(group);
        }
        Ok(copula)
    }

    /// True when no input is correlated.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Number of correlated inputs.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Positions in [`Scenario::inputs`] of the correlated inputs: the order
    /// of the buffer that [`Copula::apply`] takes.
    pub fn inputs(&self) -> &[usize] {
        &self.inputs
    }

    /// Number of groups (sets of inputs linked by correlations).
    pub fn groups(&self) -> usize {
        self.groups.len()
    }

    /// The correlated inputs group by group: positions in
    /// [`Scenario::inputs`] of the inputs of each set linked by
    /// correlations. A variance-based analysis must move each set as one
    /// factor: its members are not free to vary one at a time.
    pub fn group_inputs(&self) -> Vec<Vec<usize>> {
        self.groups
            .iter()
            .map(|g| self.inputs[g.start..g.start + g.len].to_vec())
            .collect()
    }

    /// Turn independent uniforms into the copula's uniforms: `u` holds one
    /// uniform on (0, 1) per correlated input in [`Copula::inputs`] order;
    /// each is mapped to a standard normal, mixed by [`Copula::apply`], and
    /// mapped back. For designs (quasi-random points) whose coordinates are
    /// uniforms rather than normals.
    pub fn apply_uniform(&self, u: &mut [f64]) {
        for x in u.iter_mut() {
            *x = STANDARD_NORMAL.quantile(x.clamp(U_MIN, 1.0 - U_MIN));
        }
        self.apply(u);
    }

    /// Turn `z`, one independent standard normal per correlated input in
    /// [`Copula::inputs`] order, into the copula's uniforms `u = Φ(L z)` in
    /// place, each kept in `[2^-53, 1 - 2^-53]` (so its quantile is finite).
    /// Does not allocate.
    ///
    /// # Panics
    ///
    /// If `z` is shorter than [`Copula::len`].
    #[inline]
    pub fn apply(&self, z: &mut [f64]) {
        for g in &self.groups {
            let z = &mut z[g.start..g.start + g.len];
            // x = L z in place, from the last row up: row i reads z[..=i],
            // none of which has been overwritten yet.
            for i in (0..g.len).rev() {
                let row = &g.factor[i * (i + 1) / 2..][..=i];
                z[i] = row.iter().zip(&z[..=i]).map(|(l, v)| l * v).sum();
            }
            for x in z.iter_mut() {
                *x = STANDARD_NORMAL.cdf(*x).clamp(U_MIN, 1.0 - U_MIN);
            }
        }
    }
}

impl Scenario {
    /// This scenario without the `[[correlation]]` entries that involve the
    /// input `path`. For analyses that fix an input at a value (a tornado
    /// bar, a sweep, a threshold search): a fixed input cannot be correlated
    /// ([`Copula::new`] rejects it), so drop its entries first, e.g.
    /// `s.without_correlations_of(path).with_input(path, &Dist::Fixed(x))`.
    /// Its partners then keep their own distributions, drawn independently
    /// of it.
    pub fn without_correlations_of(&self, path: &str) -> Scenario {
        let mut s = self.clone();
        s.correlations
            .retain(|c| !c.between.iter().any(|p| p == path));
        s
    }
}

/// The lower Cholesky factor of a normal-scale correlation matrix, or the
/// matrix's smallest eigenvalue when it is not a correlation matrix. A
/// singular one (a rank of ±1) is shrunk towards the identity by [`SHRINK`]
/// first.
fn factorise(matrix: &DMatrix<f64>) -> Result<DMatrix<f64>, f64> {
    if let Some(c) = matrix.clone().cholesky() {
        return Ok(c.l());
    }
    let smallest = SymmetricEigen::new(matrix.clone()).eigenvalues.min();
    if smallest < -SINGULAR_TOLERANCE {
        return Err(smallest);
    }
    let k = matrix.nrows();
    let shrunk = matrix * (1.0 - SHRINK) + DMatrix::<f64>::identity(k, k) * SHRINK;
    shrunk.cholesky().map(|c| c.l()).ok_or(smallest)
}

/// The error for an input path that is not one of the scenario's inputs.
fn unknown_input(
    field: &str,
    between: &[String],
    path: &str,
    inputs: &[(String, Dist)],
) -> ScenarioError {
    let known: BTreeSet<String> = inputs.iter().map(|(p, _)| p.clone()).collect();
    let close = close_matches(path, &known);
    let hint = if close.is_empty() {
        let uncertain: Vec<&str> = inputs
            .iter()
            .filter(|(_, d)| !d.is_fixed())
            .map(|(p, _)| p.as_str())
            .collect();
        format!(
            "the uncertain inputs of this scenario are: {}",
            uncertain.join(", ")
        )
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    ScenarioError::invalid(
        format!("{field}.between"),
        pair_text(between),
        format!("`{path}` is not an input of this scenario; {hint}"),
    )
}

/// The error for a group whose correlations cannot hold together.
fn not_positive_definite(
    s: &Scenario,
    entries: &[usize],
    group: &[usize],
    inputs: &[(String, Dist)],
    smallest: f64,
) -> ScenarioError {
    let fields: Vec<String> = entries.iter().map(|&i| entry_field(i)).collect();
    let ranks: Vec<String> = entries
        .iter()
        .map(|&i| s.correlations[i].rank.to_string())
        .collect();
    let names: Vec<&str> = group.iter().map(|&i| inputs[i].0.as_str()).collect();
    ScenarioError::invalid(
        fields.join(", "),
        ranks.join(", "),
        format!(
            "the rank correlations among {} cannot all hold at once: their matrix, on the \
             normal scale (r = 2 sin(π ρ/6)), is not positive definite (smallest eigenvalue \
             {smallest:.3}); weaken some of them (move them towards 0)",
            names.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(entries: &str) -> Result<Scenario, ScenarioError> {
        let text = format!("{}\n{entries}", crate::scenario::DEFAULT_SCENARIO_TOML);
        Scenario::from_toml(&text, "<test>")
    }

    fn entry(a: &str, b: &str, rank: f64) -> String {
        format!("[[correlation]]\nbetween = [\"{a}\", \"{b}\"]\nrank = {rank}\n")
    }

    #[test]
    fn normal_correlation_keeps_zero_sign_and_ends() {
        assert_eq!(normal_correlation(0.0), 0.0);
        assert!((normal_correlation(1.0) - 1.0).abs() < 1e-15);
        assert!((normal_correlation(-1.0) + 1.0).abs() < 1e-15);
        assert_eq!(normal_correlation(-0.3), -normal_correlation(0.3));
        // 2 sin(π/12) = (√6 − √2)/2.
        let want = (6f64.sqrt() - 2f64.sqrt()) / 2.0;
        assert!((normal_correlation(0.5) - want).abs() < 1e-15);
        for k in 0..=100 {
            let rho = -1.0 + 0.02 * k as f64;
            let r = normal_correlation(rho);
            assert!(
                r.abs() >= rho.abs() - 1e-15 && (r - rho).abs() < 0.02,
                "{rho}"
            );
            // Back through Spearman's formula for the bivariate normal.
            assert!(((6.0 / PI) * (r / 2.0).asin() - rho).abs() < 1e-12, "{rho}");
        }
    }

    #[test]
    fn no_entries_give_an_empty_copula() {
        let c = Copula::new(&Scenario::builtin()).unwrap();
        assert!(c.is_empty());
        assert_eq!(c.len(), 0);
        let mut z: [f64; 0] = [];
        c.apply(&mut z);
    }

    #[test]
    fn two_inputs_get_the_two_by_two_factor() {
        let s = with(&entry(
            "payer.reservation",
            "payer.exec.reservation_gain",
            0.5,
        ))
        .unwrap();
        let c = Copula::new(&s).unwrap();
        let inputs = s.inputs();
        let names: Vec<&str> = c.inputs().iter().map(|&i| inputs[i].0.as_str()).collect();
        assert_eq!(names, ["payer.reservation", "payer.exec.reservation_gain"]);
        assert_eq!(c.groups(), 1);
        let r = normal_correlation(0.5);
        let g = &c.groups[0];
        assert_eq!(g.factor.len(), 3);
        assert!((g.factor[0] - 1.0).abs() < 1e-15);
        assert!((g.factor[1] - r).abs() < 1e-15);
        assert!((g.factor[2] - (1.0 - r * r).sqrt()).abs() < 1e-15);
        // x = L z, then Φ.
        let mut z = [0.3, -1.2];
        c.apply(&mut z);
        let x1 = r * 0.3 + (1.0 - r * r).sqrt() * -1.2;
        assert!((z[0] - STANDARD_NORMAL.cdf(0.3)).abs() < 1e-15);
        assert!((z[1] - STANDARD_NORMAL.cdf(x1)).abs() < 1e-15);
    }

    #[test]
    fn separate_groups_stay_separate() {
        let s = with(&format!(
            "{}{}{}",
            entry("contract.annual_revenue", "payer.reservation", 0.3),
            entry(
                "provider.oon.volume_retention",
                "payer.oon.reservation_gain",
                -0.4
            ),
            entry("payer.exec.reservation_gain", "payer.reservation", 0.2),
        ))
        .unwrap();
        let c = Copula::new(&s).unwrap();
        assert_eq!(c.groups(), 2);
        assert_eq!(c.len(), 5);
        assert_eq!(c.groups[0].len, 3);
        assert_eq!(c.groups[1].len, 2);
        // The groups' factors are independent: a normal in one group does
        // not move the other's uniforms.
        let mut a = [0.1, 0.2, 0.3, 0.4, 0.5];
        let mut b = [0.1, 0.2, 0.3, -2.0, 1.5];
        c.apply(&mut a);
        c.apply(&mut b);
        assert_eq!(a[..3], b[..3]);
        assert_ne!(a[3], b[3]);
    }

    #[test]
    fn extreme_normals_give_finite_quantiles() {
        let s = with(&entry("payer.reservation", "contract.annual_revenue", 0.9)).unwrap();
        let c = Copula::new(&s).unwrap();
        for v in [40.0, -40.0, f64::INFINITY, f64::NEG_INFINITY] {
            let mut z = [v, v];
            c.apply(&mut z);
            for u in z {
                assert!((U_MIN..=1.0 - U_MIN).contains(&u), "{v}: {u}");
                let q = Dist::LogNormal {
                    mu: 0.0,
                    sigma: 1.0,
                }
                .quantile(u);
                assert!(q.is_finite() && q > 0.0, "{v}: {q}");
            }
        }
    }

    #[test]
    fn perfect_correlation_is_allowed() {
        let s = with(&format!(
            "{}{}",
            entry("payer.reservation", "payer.exec.reservation_gain", 1.0),
            entry(
                "payer.notice.reservation_gain",
                "payer.oon.reservation_gain",
                -1.0
            ),
        ))
        .unwrap();
        let c = Copula::new(&s).unwrap();
        assert_eq!(c.groups(), 2);
        let mut z = [0.7, -0.4, 1.3, 0.2];
        c.apply(&mut z);
        assert!((z[0] - z[1]).abs() < 1e-6, "{z:?}");
        assert!((z[2] - (1.0 - z[3])).abs() < 1e-6, "{z:?}");
        // Exactly singular matrices are shrunk a little, then factored.
        let singular = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 1.0, 1.0]);
        let l = factorise(&singular).unwrap();
        assert!(
            (l[(1, 0)] - 1.0).abs() < 1e-8 && l[(1, 1)].abs() < 1e-4,
            "{l}"
        );
        let impossible = DMatrix::from_row_slice(2, 2, &[1.0, 1.1, 1.1, 1.0]);
        assert!((factorise(&impossible).unwrap_err() + 0.1).abs() < 1e-12);
    }

    #[test]
    fn impossible_correlations_are_rejected() {
        let err = with(&format!(
            "{}{}{}",
            entry("payer.reservation", "payer.exec.reservation_gain", 0.9),
            entry(
                "payer.exec.reservation_gain",
                "payer.notice.reservation_gain",
                0.9
            ),
            entry("payer.reservation", "payer.notice.reservation_gain", -0.9),
        ))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("correlation[1], correlation[2], correlation[3]"),
            "{err}"
        );
        assert!(err.contains("not positive definite"), "{err}");
        assert!(err.contains("weaken"), "{err}");
    }
}
