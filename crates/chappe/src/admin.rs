//! `chappe user ...`: account administration straight on a data directory's store.
//!
//! The embedded store admits one process at a time, so these commands work only while the
//! server is stopped; administering a live server (through the server itself) is later work.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use chappe_core::{phone, AccountError, Accounts, Authorization, User};
use chappe_server::open::{self, OpenError};
use chappe_store::{Store, StoreError};

use crate::cli::{UserArgs, UserCommand};

/// Users read per store call by `user list`.
const LIST_PAGE: usize = 500;
/// Longest first or last name, in characters (as the server allows at sign-up).
const NAME_MAX_CHARS: usize = 64;

pub fn run(args: UserArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let store = open::open_store(&args.data).map_err(|err| match err {
            OpenError::InUse(path) => anyhow::anyhow!(
                "the server is running on this data directory; stop it first \
                 ({} is locked; administering a live server is not supported yet)",
                path.display()
            ),
            other => anyhow::Error::from(other),
        })?;
        let accounts = open::accounts(store.clone())
            .await
            .context("reading the server secrets")?;
        match args.command {
            UserCommand::Add {
                phone,
                first_name,
                last_name,
            } => add(&accounts, &phone, &first_name, &last_name).await,
            UserCommand::List => list(&accounts).await,
            UserCommand::Sessions { phone } => sessions(&accounts, &phone).await,
            UserCommand::Ban { phone } => ban(&accounts, &phone).await,
            UserCommand::Unban { phone } => unban(&accounts, &phone).await,
        }
    })
}

async fn add(accounts: &Accounts, phone: &str, first: &str, last: &str) -> anyhow::Result<()> {
    let phone = normalize(phone)?;
    let first = first.trim();
    let last = last.trim();
    if first.is_empty() || first.chars().count() > NAME_MAX_CHARS {
        bail!("the first name must be 1..={NAME_MAX_CHARS} characters");
    }
    if last.chars().count() > NAME_MAX_CHARS {
        bail!("the last name must be at most {NAME_MAX_CHARS} characters");
    }
    match accounts
        .store()
        .create_user(&phone, first, last, unix_now())
        .await
    {
        Ok(user) => {
            println!("{}", user.id);
            Ok(())
        }
        Err(StoreError::PhoneTaken) => bail!("phone number +{phone} is already registered"),
        Err(err) => Err(anyhow::Error::from(err).context("creating the account")),
    }
}

async fn list(accounts: &Accounts) -> anyhow::Result<()> {
    let store = accounts.store();
    let mut after = 0;
    loop {
        let page = store.list_users(after, LIST_PAGE).await?;
        for user in &page {
            println!("{}", user_line(user));
        }
        match page.last() {
            Some(last) if page.len() == LIST_PAGE => after = last.id,
            _ => return Ok(()),
        }
    }
}

async fn sessions(accounts: &Accounts, phone: &str) -> anyhow::Result<()> {
    let user = existing_user(accounts.store().as_ref(), phone).await?;
    let sessions = accounts.authorizations(user.id, 0).await?;
    if sessions.is_empty() {
        println!("no sessions");
    }
    for session in &sessions {
        println!("{}", session_line(session));
    }
    Ok(())
}

async fn ban(accounts: &Accounts, phone: &str) -> anyhow::Result<()> {
    let user = existing_user(accounts.store().as_ref(), phone).await?;
    // The store is ours alone while we run, so this count is what the ban ends.
    let ended = accounts.authorizations(user.id, 0).await?.len();
    let user = accounts
        .ban_user(&user.phone)
        .await
        .map_err(account_error)?;
    println!(
        "banned user {} (+{}); {ended} session(s) ended",
        user.id, user.phone
    );
    Ok(())
}

async fn unban(accounts: &Accounts, phone: &str) -> anyhow::Result<()> {
    let user = existing_user(accounts.store().as_ref(), phone).await?;
    let user = accounts
        .unban_user(&user.phone)
        .await
        .map_err(account_error)?;
    println!("unbanned user {} (+{})", user.id, user.phone);
    Ok(())
}

fn normalize(phone: &str) -> anyhow::Result<String> {
    phone::normalize(phone)
        .map_err(|_| anyhow::anyhow!("invalid phone number {phone:?} (expected 5..=15 digits)"))
}

async fn existing_user(store: &dyn Store, phone: &str) -> anyhow::Result<User> {
    let phone = normalize(phone)?;
    match store.user_by_phone(&phone).await? {
        Some(user) => Ok(user),
        None => bail!("no account has phone number +{phone}"),
    }
}

fn account_error(err: AccountError) -> anyhow::Error {
    match err {
        AccountError::PhoneNumberUnoccupied => anyhow::anyhow!("no account has this phone number"),
        other => other.into(),
    }
}

/// `id  +phone  name  @username  [banned]`, tab-separated so scripts can split it.
fn user_line(user: &User) -> String {
    let name = format!("{} {}", user.first_name, user.last_name);
    let username = user
        .username
        .as_deref()
        .map_or_else(|| "-".to_owned(), |u| format!("@{u}"));
    let banned = if user.banned { "banned" } else { "active" };
    format!(
        "{}\t+{}\t{}\t{username}\t{banned}",
        user.id,
        user.phone,
        name.trim()
    )
}

/// `hash  device  app  created  last seen  ip`, tab-separated.
fn session_line(session: &Authorization) -> String {
    let mut line = format!("hash={}", session.hash);
    match &session.client {
        Some(client) => {
            let _ = write!(
                line,
                "\tdevice={} ({})\tapp={} (api_id {})",
                client.device_model, client.system_version, client.app_version, client.api_id
            );
        }
        None => line.push_str("\tdevice=?\tapp=?"),
    }
    let ip = session
        .ip
        .map_or_else(|| "?".to_owned(), |ip| ip.to_string());
    let _ = write!(
        line,
        "\tcreated={}\tlast_seen={}\tip={ip}",
        utc(session.created_at),
        utc(session.last_seen_at)
    );
    line
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, days-from-civil inverted).
fn utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let era = (days + 719_468).div_euclid(146_097);
    let day_of_era = (days + 719_468).rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn formats_utc_times() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_199_999), "2026-11-20T18:39:59Z");
        assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
    }
}
