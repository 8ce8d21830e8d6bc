"""Doctor policies: the offline knowledge-graph doctor, an LLM doctor, research baselines."""

from consultsim.agents.doctor.base import Action, DoctorPolicy, DoctorView, Said
from consultsim.agents.doctor.baselines import OracleDoctor, RandomDoctor
from consultsim.agents.doctor.kg_doctor import KGDoctor
from consultsim.agents.doctor.llm_doctor import LLMDoctor, parse_action

__all__ = ["Action", "DoctorPolicy", "DoctorView", "KGDoctor", "LLMDoctor", "OracleDoctor", "RandomDoctor", "Said", "parse_action"]
