//! MTProto service types: fixed vectors from the MTProto documentation and
//! round trips through the generated codecs.

use chappe_tl::mtproto::{enums, functions, types, Request};
use chappe_tl::{DecodeError, Deserializable, Identifiable, RemoteCall, Serializable};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn req_pq_multi_fixed_bytes() {
    // From core.telegram.org/mtproto/samples-auth_key: req_pq_multi with this nonce.
    let nonce: [u8; 16] = hex("3E0549828CCA27E966B301A48FECE2FC").try_into().unwrap();
    let req = functions::ReqPqMulti { nonce };
    let bytes = req.to_bytes();
    assert_eq!(bytes, hex("F18E7EBE 3E0549828CCA27E966B301A48FECE2FC"));
    assert_eq!(functions::ReqPqMulti::from_bytes(&bytes).unwrap(), req);
    assert_eq!(
        Request::from_bytes(&bytes).unwrap(),
        Request::ReqPqMulti(req)
    );
}

#[test]
fn res_pq_fixed_bytes() {
    // resPQ from the same sample exchange.
    let bytes = hex(
        "632416 05 3E0549828CCA27E966B301A48FECE2FC A5CF4D33F4A11EA877BA4AA573907330
         08 17ED48941A08F981 000000 15C4B51C 01000000 216BE86C022BB4C3",
    );
    let res = enums::ResPq::from_bytes(&bytes).unwrap();
    let enums::ResPq::ResPq(inner) = &res;
    assert_eq!(inner.pq, hex("17ED48941A08F981"));
    assert_eq!(
        inner.server_public_key_fingerprints,
        vec![i64::from_le_bytes(
            hex("216BE86C022BB4C3").try_into().unwrap()
        )]
    );
    assert_eq!(res.to_bytes(), bytes);
}

#[test]
fn handshake_types_round_trip() {
    let inner = enums::PQInnerData::PQInnerDataDc(types::PQInnerDataDc {
        pq: vec![1, 2, 3],
        p: vec![4],
        q: vec![5],
        nonce: [7; 16],
        server_nonce: [8; 16],
        new_nonce: [9; 32],
        dc: -2,
    });
    assert_eq!(
        enums::PQInnerData::from_bytes(&inner.to_bytes()).unwrap(),
        inner
    );
    let temp = types::PQInnerDataTempDc {
        pq: vec![],
        p: vec![],
        q: vec![],
        nonce: [0; 16],
        server_nonce: [1; 16],
        new_nonce: [2; 32],
        dc: 2,
        expires_in: 86400,
    };
    assert_eq!(
        types::PQInnerDataTempDc::from_bytes(&temp.to_bytes()).unwrap(),
        temp
    );
    let ans = enums::SetClientDhParamsAnswer::DhGenOk(types::DhGenOk {
        nonce: [1; 16],
        server_nonce: [2; 16],
        new_nonce_hash1: [3; 16],
    });
    assert_eq!(
        enums::SetClientDhParamsAnswer::from_bytes(&ans.to_bytes()).unwrap(),
        ans
    );
    // Every handshake constructor exists, with the documented id.
    let ids = [
        (types::ResPq::CONSTRUCTOR_ID, 0x05162463),
        (types::PQInnerData::CONSTRUCTOR_ID, 0x83c95aec),
        (types::PQInnerDataDc::CONSTRUCTOR_ID, 0xa9f55f95),
        (types::PQInnerDataTempDc::CONSTRUCTOR_ID, 0x56fddf88),
        (types::ServerDhParamsOk::CONSTRUCTOR_ID, 0xd0e8075c),
        (types::ServerDhInnerData::CONSTRUCTOR_ID, 0xb5890dba),
        (types::ClientDhInnerData::CONSTRUCTOR_ID, 0x6643b654),
        (types::DhGenOk::CONSTRUCTOR_ID, 0x3bcbf734),
        (types::DhGenRetry::CONSTRUCTOR_ID, 0x46dc1fb9),
        (types::DhGenFail::CONSTRUCTOR_ID, 0xa69dae02),
        (types::BindAuthKeyInner::CONSTRUCTOR_ID, 0x75a3f765),
        (functions::ReqPq::CONSTRUCTOR_ID, 0x60469778),
        (functions::ReqPqMulti::CONSTRUCTOR_ID, 0xbe7e8ef1),
        (functions::SetClientDhParams::CONSTRUCTOR_ID, 0xf5045f1f),
    ];
    for (got, want) in ids {
        assert_eq!(got, want);
    }
    assert_eq!(functions::ReqDhParams::CONSTRUCTOR_ID, 0xd712e4be);
}

#[test]
fn service_messages_round_trip() {
    let values: Vec<Vec<u8>> = vec![
        types::MsgsAck {
            msg_ids: vec![1, 2, 3],
        }
        .to_bytes(),
        types::BadServerSalt {
            bad_msg_id: 5,
            bad_msg_seqno: 3,
            error_code: 48,
            new_server_salt: -7,
        }
        .to_bytes(),
        types::NewSessionCreated {
            first_msg_id: 1,
            unique_id: 2,
            server_salt: 3,
        }
        .to_bytes(),
        types::Pong {
            msg_id: 1,
            ping_id: 2,
        }
        .to_bytes(),
        types::FutureSalts {
            req_msg_id: 1,
            now: 2,
            salts: vec![types::FutureSalt {
                valid_since: 1,
                valid_until: 2,
                salt: 3,
            }],
        }
        .to_bytes(),
        types::RpcError {
            error_code: 400,
            error_message: "PHONE_CODE_INVALID".into(),
        }
        .to_bytes(),
        types::MsgDetailedInfo {
            msg_id: 1,
            answer_msg_id: 2,
            bytes: 3,
            status: 0,
        }
        .to_bytes(),
        types::MsgsStateInfo {
            req_msg_id: 1,
            info: vec![1, 2],
        }
        .to_bytes(),
    ];
    // Each decodes as its boxed type and re-encodes identically.
    assert_eq!(
        enums::MsgsAck::from_bytes(&values[0]).unwrap().to_bytes(),
        values[0]
    );
    assert_eq!(
        enums::BadMsgNotification::from_bytes(&values[1])
            .unwrap()
            .to_bytes(),
        values[1]
    );
    assert_eq!(
        enums::NewSession::from_bytes(&values[2])
            .unwrap()
            .to_bytes(),
        values[2]
    );
    assert_eq!(
        enums::Pong::from_bytes(&values[3]).unwrap().to_bytes(),
        values[3]
    );
    assert_eq!(
        enums::FutureSalts::from_bytes(&values[4])
            .unwrap()
            .to_bytes(),
        values[4]
    );
    assert_eq!(
        enums::RpcError::from_bytes(&values[5]).unwrap().to_bytes(),
        values[5]
    );
    assert_eq!(
        enums::MsgDetailedInfo::from_bytes(&values[6])
            .unwrap()
            .to_bytes(),
        values[6]
    );
    assert_eq!(
        enums::MsgsStateInfo::from_bytes(&values[7])
            .unwrap()
            .to_bytes(),
        values[7]
    );
}

#[test]
fn ping_is_a_remote_call() {
    fn returns<R: RemoteCall<Return = enums::Pong>>(_: &R) {}
    let ping = functions::PingDelayDisconnect {
        ping_id: 1,
        disconnect_delay: 75,
    };
    returns(&ping);
    let bytes = ping.to_bytes();
    assert_eq!(&bytes[..4], &0xf3427b8cu32.to_le_bytes());
    assert_eq!(
        Request::from_bytes(&bytes).unwrap(),
        Request::PingDelayDisconnect(ping)
    );
}

#[test]
fn wrong_constructor_and_trailing_bytes_are_errors() {
    let mut bytes = types::Pong {
        msg_id: 1,
        ping_id: 2,
    }
    .to_bytes();
    assert!(matches!(
        enums::MsgsAck::from_bytes(&bytes),
        Err(DecodeError::UnknownConstructor { ty: "MsgsAck", .. })
    ));
    bytes.push(0);
    assert_eq!(
        enums::Pong::from_bytes(&bytes),
        Err(DecodeError::TrailingBytes)
    );
    assert_eq!(
        enums::Pong::from_bytes(&bytes[..7]),
        Err(DecodeError::UnexpectedEof)
    );
}
