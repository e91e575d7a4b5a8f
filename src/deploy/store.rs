//! The bucket, through `object_store` (Apache Arrow's client for S3-compatible
//! storage): list what is under the prefix, read the manifest, put and delete objects.
//! Every key is the prefix joined to a relative key, so nothing outside the prefix is
//! ever named.

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, PutOptions, PutPayload, RetryConfig,
};

use super::credentials::Found;
use super::metadata::Headers;
use super::plan::Listing;

/// Where the bucket is and how to reach it (the target, with defaults filled in).
pub struct Place {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: String,
    /// Empty for the top of the bucket.
    pub prefix: String,
}

impl Place {
    /// `s3://bucket/prefix/`, for messages.
    pub fn shown(&self) -> String {
        match self.prefix.as_str() {
            "" => format!("s3://{}/", self.bucket),
            p => format!("s3://{}/{p}/", self.bucket),
        }
    }
}

/// A connection to one bucket, writing only under its prefix.
#[derive(Clone)]
pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl Bucket {
    pub fn connect(place: &Place, credentials: Found) -> Result<Bucket, String> {
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&place.bucket)
            .with_region(&place.region)
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(60),
                ..Default::default()
            })
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(10))
                    .with_timeout(Duration::from_secs(120)),
            );
        if let Some(e) = &place.endpoint {
            // `check` allows http:// only for this computer.
            b = b.with_endpoint(e).with_allow_http(e.starts_with("http://"));
        }
        b = match credentials {
            Found::Keys(c) => {
                let b = b
                    .with_access_key_id(c.key_id)
                    .with_secret_access_key(c.secret);
                match c.token {
                    Some(t) => b.with_token(t),
                    None => b,
                }
            }
            Found::Delegated(vars) => {
                vars.iter()
                    .fold(b, |b, (k, v)| match k.parse::<AmazonS3ConfigKey>() {
                        Ok(key) => b.with_config(key, v),
                        Err(_) => b,
                    })
            }
        };
        let store = b.build().map_err(|e| e.to_string())?;
        Ok(Bucket {
            store: Arc::new(store),
            prefix: place.prefix.clone(),
        })
    }

    /// The full key of `rel` (a key relative to the prefix).
    pub fn key(&self, rel: &str) -> Result<Key, String> {
        let full = if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        };
        match Key::parse(&full) {
            Ok(k) if k.as_ref() == full => Ok(k),
            _ => Err(format!("{rel:?} cannot be the name of an object")),
        }
    }

    /// Every object under the prefix: relative key to `ETag`.
    pub async fn list(&self) -> Result<Listing, String> {
        let prefix = (!self.prefix.is_empty()).then(|| Key::from(self.prefix.as_str()));
        let strip = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let metas: Vec<_> = self
            .store
            .list(prefix.as_ref())
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let rel = m
                    .location
                    .as_ref()
                    .strip_prefix(strip.as_str())?
                    .to_string();
                Some((rel, m.e_tag))
            })
            .collect())
    }

    /// The bytes of `rel`, or `None` if there is no such object.
    pub async fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, String> {
        match self.store.get(&self.key(rel)?).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(|e| e.to_string())?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Store `bytes` at `rel` with `headers`; the storage's `ETag` for it.
    pub async fn put(
        &self,
        rel: &str,
        bytes: Vec<u8>,
        headers: &Headers,
    ) -> Result<Option<String>, String> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, headers.content_type.clone().into());
        attributes.insert(
            Attribute::CacheControl,
            headers.cache_control.clone().into(),
        );
        let options = PutOptions {
            attributes,
            ..Default::default()
        };
        let key = self.key(rel)?;
        let r = self
            .store
            .put_opts(&key, PutPayload::from(bytes), options)
            .await;
        r.map(|r| r.e_tag).map_err(|e| format!("{rel}: {e}"))
    }

    pub async fn delete(&self, rel: &str) -> Result<(), String> {
        self.store
            .delete(&self.key(rel)?)
            .await
            .map_err(|e| format!("{rel}: {e}"))
    }
}
