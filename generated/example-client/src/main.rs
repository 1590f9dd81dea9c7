//! Calls the image service's task operations through the client `build.rs` generated, against
//! the endpoint given as the one argument (`stackspec mock --service image`): lists tasks,
//! creates one, finds it in the list, shows it, and shows an unknown task, which must be the
//! documented 404 with glance's error body. Prints each result; exits 1 on any other
//! outcome, 2 on bad usage.

mod image {
    include!(concat!(env!("OUT_DIR"), "/image.rs"));
}

mod outcome;

use std::process::ExitCode;

use image::client::Client;
use image::types::{CreateTaskRequest, CreateTaskRequestType, ListTasksParams};
use outcome::{documented_error, success, Unexpected};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), None) = (args.next(), args.next()) else {
        eprintln!(
            "usage: stackspec-example-client URL   (an image endpoint, e.g. http://127.0.0.1:9292)"
        );
        return ExitCode::from(2);
    };
    match run(&url).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unexpected: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(url: &str) -> Result<(), Unexpected> {
    let client = Client::new(url)?;
    let listed = success(client.list_tasks(&ListTasksParams::default()).await, "list tasks")?;
    println!("list tasks: {} task(s)", listed.tasks.len());

    let mut input = serde_json::Map::new();
    input.insert("image_properties".into(), serde_json::json!({"name": "example"}));
    let request = CreateTaskRequest { r#type: CreateTaskRequestType::Import, input };
    let created = success(client.create_task(&request).await, "create task")?;
    println!("create task: {} ({})", created.id, created.status);

    let listed = success(client.list_tasks(&ListTasksParams::default()).await, "list tasks")?;
    let ids: Vec<String> =
        listed.tasks.iter().filter_map(|t| t.get("id")?.as_str().map(String::from)).collect();
    if !ids.contains(&created.id) {
        return Err(Unexpected::new("list tasks", format!("{} is not among {ids:?}", created.id)));
    }
    println!("list tasks: {} task(s), the new one among them", ids.len());

    let shown = success(client.show_task_details(&created.id).await, "show task")?;
    if shown.id != created.id {
        return Err(Unexpected::new(
            "show task",
            format!("asked for {}, got {}", created.id, shown.id),
        ));
    }
    println!("show task: {} ({})", shown.id, shown.status);

    let unknown = "00000000-0000-4000-8000-0000000000ff";
    let fault =
        documented_error(client.show_task_details(unknown).await, 404, "show unknown task")?;
    println!("show unknown task: 404 {} ({})", fault.title, fault.message);
    Ok(())
}
