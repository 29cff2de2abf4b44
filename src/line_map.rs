//! A map keyed by line id, for the handful of lines a cart has.
//!
//! A vector of pairs in insertion order: for carts of a few lines it is as
//! fast as a tree or hash map, and costs the widget's wasm far less code
//! than `BTreeMap` (whose insert, remove and rebalancing are all generic).

/// Values by line id, in the order the lines were first inserted.
#[derive(Clone, Debug)]
pub struct LineMap<V>(Vec<(String, V)>);

/// Equal when they hold the same lines with the same values, in any order.
impl<V: PartialEq> PartialEq for LineMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.iter().all(|(id, value)| other.get(id) == Some(value))
    }
}

impl<V: Eq> Eq for LineMap<V> {}

impl<V> Default for LineMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> LineMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, line_id: &str) -> Option<&V> {
        self.0
            .iter()
            .find(|(id, _)| id == line_id)
            .map(|(_, value)| value)
    }

    pub fn contains_key(&self, line_id: &str) -> bool {
        self.get(line_id).is_some()
    }

    /// Sets the value of a line, replacing any it had (its place is kept).
    pub fn insert(&mut self, line_id: String, value: V) {
        match self.0.iter_mut().find(|(id, _)| *id == line_id) {
            Some((_, old)) => *old = value,
            None => self.0.push((line_id, value)),
        }
    }

    /// Sets the value of a line unless it has one.
    pub fn insert_if_absent(&mut self, line_id: String, value: V) {
        if !self.contains_key(&line_id) {
            self.0.push((line_id, value));
        }
    }

    pub fn remove(&mut self, line_id: &str) {
        self.0.retain(|(id, _)| id != line_id);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(id, value)| (id, value))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(id, _)| id)
    }
}

impl<V> FromIterator<(String, V)> for LineMap<V> {
    /// Later values for the same line replace earlier ones.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(pairs: I) -> Self {
        let mut map = Self::new();
        for (id, value) in pairs {
            map.insert(id, value);
        }
        map
    }
}

impl<V> IntoIterator for LineMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_one_value_per_line_in_first_insertion_order() {
        let mut map: LineMap<u32> = [("b".to_owned(), 1), ("a".to_owned(), 2)]
            .into_iter()
            .collect();
        map.insert("b".into(), 3);
        map.insert_if_absent("a".into(), 9);
        map.insert_if_absent("c".into(), 4);
        assert_eq!(
            map.iter()
                .map(|(id, v)| (id.as_str(), *v))
                .collect::<Vec<_>>(),
            [("b", 3), ("a", 2), ("c", 4)]
        );
        map.remove("a");
        assert!(!map.contains_key("a"));
        assert_eq!(map.get("c"), Some(&4));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "c"]);
        let reordered: LineMap<u32> = [("c".to_owned(), 4), ("b".to_owned(), 3)]
            .into_iter()
            .collect();
        assert_eq!(map, reordered, "order does not matter to equality");
        map.remove("b");
        assert_ne!(map, reordered);
        map.remove("c");
        assert!(map.is_empty());
    }
}
