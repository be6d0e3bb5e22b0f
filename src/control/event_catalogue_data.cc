// The built-in event catalogue: LivePerson's events (fact sheet §3) with realistic sample
// payloads. Data only; see event_catalogue.h.
#include "control/event_catalogue.h"

namespace parley::control {

const char* const kBuiltinEventCatalogueJson = R"JSON(
[
  {
    "eventId": "bot_connectors_custom_integration",
    "eventName": "Third-Party Bots Custom Integration",
    "description": "Fires on every consumer message in a conversation handled by a Third-Party Bots connector whose vendor is a function, so the function is the bot. It should return {messages, context}, where context may carry intent data, quick replies or an action such as TRANSFER, CLOSE_CONVERSATION, CHANGE_TTR or INVOCATION.",
    "lambdaLimit": 15,
    "skillsSupported": false,
    "category": "Third-Party Bots",
    "samplePayload": {
      "timestamp": 1732000012345,
      "headers": [],
      "payload": {
        "convId": "H8423979229452698115-36ffcd957be440fc9237c47171915910K8427029",
        "context": {
          "lpEvent": {},
          "lpSdes": {}
        },
        "message": "customer message"
      }
    }
  },
  {
    "eventId": "bot_connectors_error_hook",
    "eventName": "Third-Party Bots Error-Hook",
    "description": "Fires when a Third-Party Bots connector using error hooks runs into an error, with the error details, the vendor and the vendor payload and response. Its return value is ignored: nothing is sent back to the bot.",
    "lambdaLimit": 15,
    "skillsSupported": false,
    "category": "Third-Party Bots",
    "samplePayload": {
      "timestamp": 1732000023456,
      "headers": [],
      "payload": {
        "error": {
          "errorId": "0b7c9e4f-2d61-4a3b-8f15-9c4e7a2d6b80",
          "name": "com.liveperson.bot-connectors-worker.error.aivendor.faas.missing-response-body"
        },
        "vendor": "CustomIntegration",
        "faasPayload": {
          "convId": "H8423979229452698115-36ffcd957be440fc9237c47171915910K8427029",
          "context": {
            "lpEvent": {},
            "lpSdes": {}
          },
          "message": "customer message"
        },
        "faas": {}
      }
    }
  },
  {
    "eventId": "bot_connectors_post_hook",
    "eventName": "Third-Party Bots Post-Hook",
    "description": "Fires after the bot vendor has answered a consumer message, before the answer reaches the conversation. The function should return the vendor response, modified or expanded as needed.",
    "lambdaLimit": 15,
    "skillsSupported": false,
    "category": "Third-Party Bots",
    "samplePayload": {
      "timestamp": 1732000034567,
      "headers": [],
      "payload": {
        "context": {},
        "messages": [
          "customer message"
        ]
      }
    }
  },
  {
    "eventId": "bot_connectors_pre_hook",
    "eventName": "Third-Party Bots Pre-Hook",
    "description": "Fires on every consumer message in a Third-Party Bots conversation, before the vendor is called. The function should return the vendor payload, modified or expanded as needed.",
    "lambdaLimit": 15,
    "skillsSupported": false,
    "category": "Third-Party Bots",
    "samplePayload": {
      "timestamp": 1732000045678,
      "headers": [],
      "payload": {
        "convId": "H8423979229452698115-36ffcd957be440fc9237c47171915910K8427029",
        "context": {
          "lpEvent": {},
          "lpSdes": {}
        },
        "message": "customer message"
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_conversation_end",
    "eventName": "Messaging Conversation End",
    "description": "Fires when a messaging conversation is closed by the agent, the consumer or the system (cbotEventType AGENT_END_CONVERSATION, CONSUMER_END_CONVERSATION or SYSTEM_END_CONVERSATION). The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000056789,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "AGENT_END_CONVERSATION",
          "type": "UPSERT",
          "convId": "3e1f7a92-5c4b-4d8e-a6f0-8b2c9d1e7f43",
          "dialogId": "3e1f7a92-5c4b-4d8e-a6f0-8b2c9d1e7f43",
          "sessionId": 4211178611,
          "startTs": 1731998740000,
          "effectiveTTR": 1731999340000,
          "oldConvState": "OPEN",
          "newConvState": "CLOSE",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": false,
          "visitorId": "M1ZTU1ZmE1NTNhNDFkNDFi",
          "originatorId": "37607275.2650487412",
          "originatorPid": "f9d58c57-c489-45f5-bae4-c5ebd52b3972",
          "originatorMetadata": {
            "id": "f9d58c57-c489-45f5-bae4-c5ebd52b3972",
            "role": "ASSIGNED_AGENT"
          },
          "serverTimestamp": 1732000056609,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "ASSIGNED_AGENT",
          "lastMessageTs": 1732000052589,
          "lastAgentMsgTs": 1732000052589,
          "backToQueueTs": 0
        },
        "end": {
          "closeReason": "AGENT"
        }
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_conversation_idle",
    "eventName": "Messaging Conversation Idle",
    "description": "Fires when a messaging conversation goes idle: waiting in the queue too long, or the agent or the consumer not responding (CONV_AWAITING_IN_QUEUE, AGENT_NON_RESPONSIVE, CONSUMER_NON_RESPONSIVE). The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000067890,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "CONSUMER_NON_RESPONSIVE",
          "type": "UPSERT",
          "convId": "9a4d2b6e-1f83-4c57-b0e9-6d5a3c8f2e14",
          "dialogId": "9a4d2b6e-1f83-4c57-b0e9-6d5a3c8f2e14",
          "sessionId": 4211182047,
          "startTs": 1731997600000,
          "effectiveTTR": 1731998200000,
          "oldConvState": "OPEN",
          "newConvState": "OPEN",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": false,
          "visitorId": "Y2MzQ4YmRkOGU2ZDgzNzk0",
          "originatorId": "37607275.23",
          "originatorPid": "6b1e4c2d-93af-4d7e-8a05-3f2c9e71b4d8",
          "originatorMetadata": {
            "id": "6b1e4c2d-93af-4d7e-8a05-3f2c9e71b4d8",
            "role": "CONTROLLER"
          },
          "serverTimestamp": 1732000067710,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "ASSIGNED_AGENT",
          "lastMessageTs": 1731999167890,
          "lastAgentMsgTs": 1731999167890,
          "backToQueueTs": 0
        },
        "idle": {
          "lastConsumerMsgTs": 1731998927890,
          "agentNonResponsive": {
            "time": 30,
            "timeUnits": "minutes"
          },
          "consumserNonResponsive": {
            "time": 15,
            "timeUnits": "minutes"
          },
          "convNotTakenTime": {
            "time": 10,
            "timeUnits": "minutes"
          }
        }
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_conversation_routing",
    "eventName": "Messaging Conversation Routing",
    "description": "Fires when a messaging conversation is transferred to another skill (ENGAGEMENT_TRANSFERED). The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000078901,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "ENGAGEMENT_TRANSFERED",
          "type": "UPSERT",
          "convId": "c7e25f18-8b4a-4f3d-9e61-2a0d7b5c4e89",
          "dialogId": "c7e25f18-8b4a-4f3d-9e61-2a0d7b5c4e89",
          "sessionId": 4211179930,
          "startTs": 1731999160000,
          "effectiveTTR": 1731999760000,
          "oldConvState": "OPEN",
          "newConvState": "OPEN",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": false,
          "visitorId": "NzA1OGQ2YTc0MTI1ZmE3ZmRm",
          "originatorId": "37607275.2650487412",
          "originatorPid": "f9d58c57-c489-45f5-bae4-c5ebd52b3972",
          "originatorMetadata": {
            "id": "f9d58c57-c489-45f5-bae4-c5ebd52b3972",
            "role": "ASSIGNED_AGENT"
          },
          "serverTimestamp": 1732000078721,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "ASSIGNED_AGENT",
          "lastMessageTs": 1732000076801,
          "lastAgentMsgTs": 1732000076801,
          "backToQueueTs": 1732000078721
        },
        "routing": {
          "oldSkillId": "563268",
          "newSkillId": "563267"
        }
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_mid_conversation_msg",
    "eventName": "Messaging Line in Off-Hours",
    "description": "Fires when the consumer sends a message in an open conversation while the skill is in off-hours (CONSUMER_SEND_MESSAGE_ON_OFFHOURS). The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000089012,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "CONSUMER_SEND_MESSAGE_ON_OFFHOURS",
          "type": "UPSERT",
          "convId": "5b8f3d21-6a9c-4e07-8d42-f1c6e3a9b705",
          "dialogId": "5b8f3d21-6a9c-4e07-8d42-f1c6e3a9b705",
          "sessionId": 4211183316,
          "startTs": 1731999700000,
          "effectiveTTR": 1732000300000,
          "oldConvState": "OPEN",
          "newConvState": "OPEN",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": true,
          "visitorId": "ZDM0YjE5NDk4MmU2NTc3ZGM1",
          "originatorId": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorPid": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorMetadata": {
            "id": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
            "role": "CONSUMER"
          },
          "serverTimestamp": 1732000088832,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "CONSUMER",
          "lastMessageTs": 1732000088832,
          "lastAgentMsgTs": 0,
          "backToQueueTs": 0
        },
        "mid": {
          "openedInOffHours": true
        }
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_new_conversation",
    "eventName": "Messaging New Conversation",
    "description": "Fires when a consumer opens a new messaging conversation, including first-time, off-hours and after-autoclose variants (CONSUMER_OPEN_NEW_CONVERSATION*). The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000090123,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "CONSUMER_OPEN_NEW_CONVERSATION",
          "type": "UPSERT",
          "convId": "e2a6c4b9-3d7f-4a1e-b852-7c0f9e4d3a61",
          "dialogId": "e2a6c4b9-3d7f-4a1e-b852-7c0f9e4d3a61",
          "sessionId": 4211184702,
          "startTs": 1732000089773,
          "effectiveTTR": 1732000689773,
          "oldConvState": "CLOSE",
          "newConvState": "OPEN",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": false,
          "visitorId": "OGE1ZjNiMmQ3YzRhOTE2ZTA4",
          "originatorId": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorPid": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorMetadata": {
            "id": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
            "role": "CONSUMER"
          },
          "serverTimestamp": 1732000089943,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "CONSUMER",
          "lastMessageTs": 1732000089773,
          "lastAgentMsgTs": 0,
          "backToQueueTs": 0
        },
        "start": {
          "firstConversation": false
        }
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_participants_change",
    "eventName": "Messaging Participants Change",
    "description": "Fires when the participants of a messaging conversation change: an agent joins or leaves, or the conversation goes back to the queue (YOU_ARE_CONNECTED_TO, BACK_TO_QUEUE, JOINED_AGENT_LEFT_CONVERSATION, ANOTHER_AGENT_JOINED_CONVERSATION). The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000101234,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "YOU_ARE_CONNECTED_TO",
          "type": "UPSERT",
          "convId": "8d3b1e7a-4c26-4f9b-a3d5-0e8f6c2b9a47",
          "dialogId": "8d3b1e7a-4c26-4f9b-a3d5-0e8f6c2b9a47",
          "sessionId": 4211180588,
          "startTs": 1731999580000,
          "effectiveTTR": 1732000180000,
          "oldConvState": "OPEN",
          "newConvState": "OPEN",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": false,
          "visitorId": "YjQ5ZTcwMmE4ZDFjMzZmNTQy",
          "originatorId": "37607275.23",
          "originatorPid": "6b1e4c2d-93af-4d7e-8a05-3f2c9e71b4d8",
          "originatorMetadata": {
            "id": "6b1e4c2d-93af-4d7e-8a05-3f2c9e71b4d8",
            "role": "CONTROLLER"
          },
          "serverTimestamp": 1732000101054,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "CONSUMER",
          "lastMessageTs": 1732000041234,
          "lastAgentMsgTs": 0,
          "backToQueueTs": 0
        },
        "participantChange": {
          "oldParticipants": [],
          "newParticipants": [
            {
              "id": "f9d58c57-c489-45f5-bae4-c5ebd52b3972",
              "role": "ASSIGNED_AGENT"
            }
          ]
        }
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_ttr",
    "eventName": "Messaging TTR",
    "description": "Fires when a messaging conversation's time to response changes: the consumer asks for or cancels an urgent response, or the agent updates the response time (AGENT_UPDATED_RESPONSE_TIME, CONSUMER_ASKED_URGENT_RESPONSE_TIME, CONSUMER_CANCELED_URGENT_RESPONSE_TIME). The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000112345,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "CONSUMER_ASKED_URGENT_RESPONSE_TIME",
          "type": "UPSERT",
          "convId": "1c9e5a3f-7b02-4d6e-8f4a-b3d7e1c5a928",
          "dialogId": "1c9e5a3f-7b02-4d6e-8f4a-b3d7e1c5a928",
          "sessionId": 4211185219,
          "startTs": 1731999820000,
          "effectiveTTR": 1732000412345,
          "oldConvState": "OPEN",
          "newConvState": "OPEN",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": false,
          "visitorId": "MjdmOGE0YzVlOTBiMTNkNmY3",
          "originatorId": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorPid": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorMetadata": {
            "id": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
            "role": "CONSUMER"
          },
          "serverTimestamp": 1732000112165,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "CONSUMER",
          "lastMessageTs": 1732000067345,
          "lastAgentMsgTs": 0,
          "backToQueueTs": 0
        },
        "ttr": {
          "oldTtr": {
            "ttrType": "NORMAL",
            "value": 600
          },
          "newTtr": {
            "ttrType": "URGENT",
            "value": 300
          }
        }
      }
    }
  },
  {
    "eventId": "controllerbot_messaging_consumer_step_up",
    "eventName": "Messaging Consumer Step Up",
    "description": "Fires when a consumer steps up, i.e. authenticates during a messaging conversation (CONSUMER_STEP_UP); LivePerson's real event id is unknown, so Parley uses this id. The function should return an array of systemMessage / transfer / closeConversation commands ([] for no action; no result sends the default automatic message).",
    "lambdaLimit": 1,
    "skillsSupported": true,
    "category": "Automatic Messages",
    "samplePayload": {
      "timestamp": 1732000123456,
      "headers": [],
      "payload": {
        "general": {
          "cbotEventType": "CONSUMER_STEP_UP",
          "type": "UPSERT",
          "convId": "4f7a2c8e-9d15-4b3a-a6e2-5c1b8d4f0e36",
          "dialogId": "4f7a2c8e-9d15-4b3a-a6e2-5c1b8d4f0e36",
          "sessionId": 4211186473,
          "startTs": 1731999400000,
          "effectiveTTR": 1732000000000,
          "oldConvState": "OPEN",
          "newConvState": "OPEN",
          "contexttype": "SharkContext",
          "campaignInfo": {
            "id": 2739128212,
            "engangementId": 2739128312
          },
          "clientLanguage": "en-US",
          "clientFeatures": [
            "AUTO_MESSAGES",
            "MULTI_DIALOG"
          ],
          "inOffHours": false,
          "visitorId": "NmEzYzhkMjFmNDdiMGU5YzUx",
          "originatorId": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorPid": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorMetadata": {
            "id": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
            "role": "CONSUMER"
          },
          "serverTimestamp": 1732000123276,
          "clientIpAdress": "198.51.100.23",
          "manualETTR": -1,
          "lastMessageComposer": "CONSUMER",
          "lastMessageTs": 1732000120956,
          "lastAgentMsgTs": 1732000028456,
          "backToQueueTs": 0
        }
      }
    }
  },
  {
    "eventId": "conversational_command",
    "eventName": "Conversational Command",
    "description": "Fires when an agent runs the function as a \"/\" command in the Agent Workspace; the function name is the command and the arguments follow it. It should return a string or number, shown only to the agent and not stored in the transcript.",
    "lambdaLimit": 30,
    "skillsSupported": false,
    "category": "Conversational Commands",
    "samplePayload": {
      "timestamp": 1732000134567,
      "headers": [],
      "payload": {
        "conversationId": "4711",
        "arguments": [
          "echo",
          "this",
          "message"
        ]
      }
    }
  },
  {
    "eventId": "denver_post_survey_email_transcript",
    "eventName": "Chat Post Survey E-Mail Transcript",
    "description": "Fires when a chat consumer completes the post-chat survey, replacing the legacy in-product transcript e-mail rules. It should return an array of {targetEmail, senderName, senderEmail, subject} targets the chat server e-mails the transcript to, with no retry.",
    "lambdaLimit": 10,
    "skillsSupported": false,
    "category": "Chat",
    "samplePayload": {
      "timestamp": 1732000145678,
      "headers": [],
      "payload": {
        "csatRank": 3,
        "skillName": "CustomerCare",
        "agentName": "John Doe",
        "questionWithAnswers": [
          {
            "question": "How was the chat experience?",
            "answer": "Poor;Below Average"
          }
        ]
      }
    }
  },
  {
    "eventId": "surveybot_messaging_survey_started",
    "eventName": "Messaging Survey Started",
    "description": "Fires when the post conversation survey bot starts a survey on a messaging conversation whose main dialog has just closed. The result is not processed in detail; returning \"ok\" is enough.",
    "lambdaLimit": 1,
    "skillsSupported": false,
    "category": "Post Conversation Survey",
    "samplePayload": {
      "timestamp": 1732000150850,
      "headers": [],
      "payload": {
        "conversationId": "7d4a9c1e-2b58-4e3f-9a06-c8e1f5b2d374",
        "accountId": "37607275",
        "surveyId": 3387141511,
        "surveyRevision": 4,
        "skillId": "563267",
        "effectiveTTR": 1731999100000,
        "lastContentEventNotification": {
          "originatorId": "37607275.2650487412",
          "originatorPId": "f9d58c57-c489-45f5-bae4-c5ebd52b3972",
          "sequence": 14,
          "serverTimestamp": 1732000141800,
          "event": {
            "contentType": "text/plain",
            "message": "Thanks for contacting us today, have a great day!",
            "type": "ContentEvent"
          },
          "originatorClientProperties": {
            "type": ".ClientProperties",
            "ipAddress": "203.0.113.77",
            "features": [
              "AUTO_MESSAGES",
              "MULTI_DIALOG",
              "RICH_CONTENT",
              "QUICK_REPLIES"
            ]
          }
        },
        "campaignInfo": {
          "campaignId": 2739128212,
          "engagementId": 2739128312
        },
        "closeReason": "AGENT",
        "context": {
          "type": "SharkContext",
          "lang": "en-US",
          "sessionId": "4211187590",
          "visitorId": "ZTc1YjNhOGYwZDJjNDE5NmE0",
          "interactionContextId": "2",
          "clientProperties": {
            "type": ".ClientProperties",
            "appId": "webAsync",
            "ipAddress": "198.51.100.23",
            "deviceFamily": "DESKTOP",
            "os": "WINDOWS",
            "osVersion": "10.0",
            "integration": "WEB_SDK",
            "integrationVersion": "3.0.62",
            "browser": "CHROME",
            "browserVersion": "131.0.0.0",
            "timeZone": "America/New_York",
            "features": [
              "AUTO_MESSAGES",
              "MULTI_DIALOG",
              "RICH_CONTENT",
              "QUICK_REPLIES",
              "PHOTO_SHARING"
            ]
          }
        },
        "dialogs": [
          {
            "dialogId": "7d4a9c1e-2b58-4e3f-9a06-c8e1f5b2d374",
            "dialogType": "MAIN",
            "channelType": "MESSAGING",
            "state": "CLOSE",
            "creationTs": 1731998500000,
            "endTs": 1732000150000,
            "metaDataLastUpdateTs": 1732000150000,
            "closedBy": "AGENT",
            "closedCause": "Closed by agent"
          },
          {
            "dialogId": "b2f6e8a4-0c37-4d91-8e5b-1a9d4c7f3e62",
            "dialogType": "POST_SURVEY",
            "channelType": "MESSAGING",
            "state": "OPEN",
            "creationTs": 1732000150420,
            "metaDataLastUpdateTs": 1732000150420
          }
        ],
        "firstConversation": false,
        "participants": [
          {
            "id": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
            "role": "CONSUMER"
          },
          {
            "id": "d81c4f3a-5e29-4b70-9c6d-2f8a0e5b1c97",
            "role": "CONTROLLER"
          }
        ],
        "state": "OPEN",
        "startTs": 1731998500000,
        "ttr": {
          "ttrType": "NORMAL",
          "value": 600
        }
      }
    }
  },
  {
    "eventId": "surveybot_messaging_survey_ended",
    "eventName": "Messaging Survey Ended",
    "description": "Fires when a post conversation survey on a messaging conversation ends, whether completed, skipped or timed out. The result is not processed in detail; returning \"ok\" is enough.",
    "lambdaLimit": 1,
    "skillsSupported": false,
    "category": "Post Conversation Survey",
    "samplePayload": {
      "timestamp": 1732000245610,
      "headers": [],
      "payload": {
        "conversationId": "7d4a9c1e-2b58-4e3f-9a06-c8e1f5b2d374",
        "accountId": "37607275",
        "surveyId": 3387141511,
        "surveyRevision": 4,
        "skillId": "563267",
        "effectiveTTR": 1731999100000,
        "lastContentEventNotification": {
          "originatorId": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "originatorPId": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
          "sequence": 19,
          "serverTimestamp": 1732000243800,
          "event": {
            "contentType": "text/plain",
            "message": "5",
            "type": "ContentEvent"
          },
          "originatorClientProperties": {
            "type": ".ClientProperties",
            "appId": "webAsync",
            "ipAddress": "198.51.100.23",
            "deviceFamily": "DESKTOP",
            "os": "WINDOWS",
            "osVersion": "10.0",
            "integration": "WEB_SDK",
            "integrationVersion": "3.0.62",
            "browser": "CHROME",
            "browserVersion": "131.0.0.0",
            "timeZone": "America/New_York",
            "features": [
              "AUTO_MESSAGES",
              "MULTI_DIALOG",
              "RICH_CONTENT",
              "QUICK_REPLIES",
              "PHOTO_SHARING"
            ]
          }
        },
        "campaignInfo": {
          "campaignId": 2739128212,
          "engagementId": 2739128312
        },
        "closeReason": "AGENT",
        "context": {
          "type": "SharkContext",
          "lang": "en-US",
          "sessionId": "4211187590",
          "visitorId": "ZTc1YjNhOGYwZDJjNDE5NmE0",
          "interactionContextId": "2",
          "clientProperties": {
            "type": ".ClientProperties",
            "appId": "webAsync",
            "ipAddress": "198.51.100.23",
            "deviceFamily": "DESKTOP",
            "os": "WINDOWS",
            "osVersion": "10.0",
            "integration": "WEB_SDK",
            "integrationVersion": "3.0.62",
            "browser": "CHROME",
            "browserVersion": "131.0.0.0",
            "timeZone": "America/New_York",
            "features": [
              "AUTO_MESSAGES",
              "MULTI_DIALOG",
              "RICH_CONTENT",
              "QUICK_REPLIES",
              "PHOTO_SHARING"
            ]
          }
        },
        "dialogs": [
          {
            "dialogId": "7d4a9c1e-2b58-4e3f-9a06-c8e1f5b2d374",
            "dialogType": "MAIN",
            "channelType": "MESSAGING",
            "state": "CLOSE",
            "creationTs": 1731998500000,
            "endTs": 1732000150000,
            "metaDataLastUpdateTs": 1732000150000,
            "closedBy": "AGENT",
            "closedCause": "Closed by agent"
          },
          {
            "dialogId": "b2f6e8a4-0c37-4d91-8e5b-1a9d4c7f3e62",
            "dialogType": "POST_SURVEY",
            "channelType": "MESSAGING",
            "state": "CLOSE",
            "creationTs": 1732000150420,
            "endTs": 1732000245000,
            "metaDataLastUpdateTs": 1732000245000,
            "closedBy": "CONTROLLER",
            "closedCause": "Survey completed"
          }
        ],
        "firstConversation": false,
        "participants": [
          {
            "id": "a5c0f2d4-7b3e-4e61-9c8a-2d1f6b9e4a17",
            "role": "CONSUMER"
          },
          {
            "id": "d81c4f3a-5e29-4b70-9c6d-2f8a0e5b1c97",
            "role": "CONTROLLER"
          }
        ],
        "state": "CLOSE",
        "startTs": 1731998500000,
        "ttr": {
          "ttrType": "NORMAL",
          "value": 600
        },
        "lastQuestionId": "6f2e9b4d-8a13-4c70-b5e8-3d1a7c9f0b25"
      }
    }
  },
  {
    "eventId": "No Event",
    "eventName": "No Event",
    "description": "Not bound to any event source: the function is invoked only directly, by HTTP, schedules or other functions. It may return whatever its caller expects.",
    "lambdaLimit": 0,
    "skillsSupported": false,
    "category": "Direct",
    "samplePayload": {
      "timestamp": 1732000156789,
      "headers": [],
      "payload": {}
    }
  }
]
)JSON";

}  // namespace parley::control
