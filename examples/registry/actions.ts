/**
 * The registry service's design-time actions: properties forms, self links and opener choices.
 *
 * @module
 */

import type { Action, ActionInput } from "../../mod.ts";

const PEOPLE_OPTIONS = {
  path: "peopleviews/?sort=asc&sort_attr=display_name&return_attr=id&return_attr=display_name",
  value: "id",
  text: "display_name",
};
const GROUP_OPTIONS = {
  path: "groupviews/?sort=asc&return_attr=id&return_attr=display_name",
  value: "id",
  text: "display_name",
};
const PERMISSION_CHOICES = [
  { value: "COOWNER", text: "Co-owner" },
  { value: "DELETER", text: "Deleter" },
  { value: "EDITOR", text: "Editor" },
  { value: "SHARER", text: "Sharer" },
  { value: "VIEWER", text: "Viewer" },
];
const YES_NO = [{ value: "false", text: "No" }, { value: "true", text: "Yes" }];

/** The inputs every properties form ends with: owner, timestamps and shares. */
const SHARING_INPUTS: readonly ActionInput[] = [
  {
    name: "owner",
    prompt: "Owner",
    required: true,
    type: "select",
    readOnly: true,
    optionsFromUrl: PEOPLE_OPTIONS,
  },
  { name: "created", prompt: "Created", readOnly: true, type: "datetime" },
  { name: "modified", prompt: "Modified", readOnly: true, type: "datetime" },
  { name: "source", prompt: "Source" },
  {
    name: "user",
    prompt: "User",
    required: true,
    type: "select",
    section: "user_shares",
    sectionPrompt: "User permissions",
    optionsFromUrl: PEOPLE_OPTIONS,
  },
  {
    name: "permissions",
    prompt: "Permissions",
    type: "select",
    section: "user_shares",
    cardinality: "multiple",
    suggest: PERMISSION_CHOICES,
  },
  {
    name: "type",
    prompt: "Type",
    required: true,
    readOnly: true,
    value: "heaobject.root.ShareImpl",
    section: "user_shares",
    display: false,
  },
  {
    name: "group",
    prompt: "Group",
    required: true,
    type: "select",
    section: "group_shares",
    sectionPrompt: "Group permissions",
    optionsFromUrl: GROUP_OPTIONS,
  },
  {
    name: "permissions",
    prompt: "Permissions",
    type: "select",
    section: "group_shares",
    cardinality: "multiple",
    suggest: PERMISSION_CHOICES,
  },
  {
    name: "type",
    prompt: "Type",
    required: true,
    readOnly: true,
    value: "heaobject.root.ShareImpl",
    section: "group_shares",
    display: false,
  },
];

/** Every action of the registry service. */
export const REGISTRY_ACTIONS: readonly Action[] = [
  {
    name: "heaserver-registry-component-get-properties",
    type: "unsafe",
    target: ["item", "cj-template"],
    prompt: "Properties",
    inputs: [
      { name: "id", prompt: "Id", readOnly: true },
      { name: "type", prompt: "Type", readOnly: true, required: true, display: false },
      { name: "name", prompt: "Unique name", required: true, readOnly: true, display: false },
      { name: "display_name", prompt: "Name", required: true },
      { name: "description", prompt: "Description", type: "textarea" },
      {
        name: "base_url",
        prompt: "Docker network base URL",
        required: true,
        type: "url",
        readOnly: true,
      },
      {
        name: "external_base_url",
        prompt: "External base URL",
        required: true,
        type: "url",
        readOnly: true,
      },
      {
        name: "resource_type_name",
        prompt: "Resource type",
        required: true,
        section: "resources",
        sectionPrompt: "Resources",
      },
      { name: "base_path", prompt: "Base path", required: true, section: "resources" },
      {
        name: "manages_creators",
        prompt: "Manages who can create objects",
        type: "select",
        suggest: YES_NO,
        required: true,
        value: "false",
        section: "resources",
      },
      {
        name: "type",
        prompt: "Type",
        required: true,
        readOnly: true,
        value: "heaobject.registry.Resource",
        section: "resources",
        display: false,
      },
      ...SHARING_INPUTS,
    ],
  },
  {
    name: "heaserver-registry-component-get-self",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "View",
  },
  {
    name: "heaserver-registry-component-get-open-choices",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "Open",
  },
  {
    name: "heaserver-registry-component-open-external",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "Open the service",
  },
  {
    name: "heaserver-registry-property-get-properties",
    type: "unsafe",
    target: ["item", "cj-template"],
    prompt: "Properties",
    inputs: [
      { name: "id", prompt: "Id", readOnly: true, display: false },
      { name: "name", prompt: "Name", required: true },
      { name: "description", prompt: "Description", type: "textarea" },
      { name: "value", prompt: "Value", required: true },
      ...SHARING_INPUTS,
    ],
  },
  {
    name: "heaserver-registry-property-get-self",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "View",
  },
];
