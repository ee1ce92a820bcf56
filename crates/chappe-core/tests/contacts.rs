//! Contact import, deletion and blocks.

mod common;

use chappe_core::ImportedContact;
use common::{fixture, rpc, NOW};

fn entry(client_id: i64, phone: &str, first: &str) -> ImportedContact {
    ImportedContact {
        client_id,
        phone: phone.into(),
        first_name: first.into(),
        last_name: String::new(),
    }
}

#[tokio::test]
async fn import_list_and_delete() {
    let f = fixture();
    let me = f.login_test_number("9996610001", 1).await;
    let bob = f.login_test_number("9996610002", 2).await;
    let cy = f.login_test_number("9996610003", 3).await;

    let result = f
        .accounts
        .import_contacts(
            me.id,
            vec![
                entry(100, "+999 661 0002", "Bobby"),
                entry(101, "15550000", "Nobody"),
                entry(102, "bad phone", "X"),
                entry(103, "9996610001", "Myself"),
                entry(104, "9996610003", ""),
            ],
            NOW,
        )
        .await
        .expect("import");
    assert_eq!(result.imported, vec![(100, bob.id), (104, cy.id)]);
    assert_eq!(
        result.users.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![bob.id, cy.id]
    );
    assert!(result.retry_contacts.is_empty());

    let list = f.accounts.contacts(me.id).await.expect("contacts");
    let names: Vec<&str> = list
        .contacts
        .iter()
        .map(|c| c.first_name.as_str())
        .collect();
    assert_eq!(
        names,
        vec!["Bobby", "Test 0003"],
        "empty names fall back to the user's own"
    );
    assert_eq!(list.users.len(), 2);
    assert_eq!(
        f.accounts.contact_owners_of(bob.id).await.ok(),
        Some(vec![me.id])
    );

    let deleted = f
        .accounts
        .delete_contacts(me.id, &[bob.id, 12345])
        .await
        .expect("delete");
    assert_eq!(deleted, vec![bob.id]);
    assert_eq!(
        f.accounts.contact_owners_of(bob.id).await.ok(),
        Some(vec![])
    );
    assert_eq!(
        f.accounts
            .contacts(me.id)
            .await
            .map(|l| l.contacts.len())
            .ok(),
        Some(1)
    );

    f.accounts
        .add_contact(me.id, bob.id, "B", "", NOW)
        .await
        .expect("add");
    assert_eq!(
        rpc(f.accounts.add_contact(me.id, me.id, "M", "", NOW).await),
        "CONTACT_ID_INVALID"
    );
    assert_eq!(
        rpc(f.accounts.add_contact(me.id, 5, "M", "", NOW).await),
        "CONTACT_ID_INVALID"
    );
}

#[tokio::test]
async fn imports_are_bounded() {
    let config = chappe_core::AccountsConfig {
        max_contacts_import: 2,
        ..Default::default()
    };
    let f = common::fixture_with(
        config,
        std::sync::Arc::new(chappe_store::MemoryStore::new()),
    );
    let me = f.login_test_number("9996610001", 1).await;
    let entries = (0..4).map(|i| entry(i, "15550000", "N")).collect();
    let result = f
        .accounts
        .import_contacts(me.id, entries, NOW)
        .await
        .expect("import");
    assert_eq!(result.retry_contacts, vec![2, 3]);
}

#[tokio::test]
async fn block_unblock_and_page() {
    let f = fixture();
    let me = f.login_test_number("9996610001", 1).await;
    let bob = f.login_test_number("9996610002", 2).await;
    let cy = f.login_test_number("9996610003", 3).await;

    assert_eq!(f.accounts.block(me.id, bob.id, NOW).await.ok(), Some(true));
    assert_eq!(f.accounts.block(me.id, bob.id, NOW).await.ok(), Some(false));
    assert_eq!(
        f.accounts.block(me.id, cy.id, NOW + 1).await.ok(),
        Some(true)
    );
    assert_eq!(
        rpc(f.accounts.block(me.id, me.id, NOW).await),
        "CONTACT_ID_INVALID"
    );
    assert_eq!(
        rpc(f.accounts.block(me.id, 5, NOW).await),
        "CONTACT_ID_INVALID"
    );
    assert_eq!(f.accounts.is_blocked(me.id, bob.id).await.ok(), Some(true));
    assert_eq!(f.accounts.is_blocked(bob.id, me.id).await.ok(), Some(false));

    let page = f.accounts.blocked(me.id, 1, 10).await.expect("page");
    assert_eq!(page.total, 2);
    assert_eq!(
        page.blocked.iter().map(|b| b.user_id).collect::<Vec<_>>(),
        vec![cy.id]
    );
    assert_eq!(
        page.users.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![cy.id]
    );

    assert_eq!(f.accounts.unblock(me.id, bob.id).await.ok(), Some(true));
    assert_eq!(f.accounts.unblock(me.id, bob.id).await.ok(), Some(false));
    assert_eq!(
        f.accounts.blocked(me.id, 0, 10).await.map(|p| p.total).ok(),
        Some(1)
    );
}
